package dev.mlsuite.vision.mesh.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import dev.mlsuite.vision.mesh.TriangleMesh;

class TriangleDistanceIndexTest {

    @Test
    void measuresFaceEdgeAndVertexRegions() {
        TriangleMesh mesh = new TriangleMesh(new float[] {0, 0, 0, 1, 0, 0, 0, 1, 0}, null, new int[] {0, 1, 2});
        TriangleDistanceIndex index = new TriangleDistanceIndex(mesh);

        assertThat(index.distance(0.2, 0.2, 0.5)).isCloseTo(0.5, within(1e-12));
        assertThat(index.distance(0.5, -1, 0)).isCloseTo(1, within(1e-12));
        assertThat(index.distance(2, 0, 0)).isCloseTo(1, within(1e-12));
        assertThat(index.distance(1, 1, 0)).isCloseTo(Math.sqrt(0.5), within(1e-12));
    }

    @Test
    void handlesDegenerateTriangles() {
        // A collinear triangle and one with a repeated vertex, next to a regular one.
        TriangleMesh mesh = new TriangleMesh(new float[] {0, 0, 0, 1, 0, 0, 2, 0, 0, 0, 1, 0}, null,
                new int[] {0, 1, 2, 1, 1, 3, 0, 1, 3});
        TriangleDistanceIndex index = new TriangleDistanceIndex(mesh);

        for (double x = -1; x <= 3; x += 0.25) {
            double distance = index.distance(x, -0.5, 0.25);
            assertThat(distance).as("distance at x=%s", x).isFinite();
        }
        assertThat(index.distance(1.5, -0.5, 0)).isCloseTo(0.5, within(1e-12));
    }
}
