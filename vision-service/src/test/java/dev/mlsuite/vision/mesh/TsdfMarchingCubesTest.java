package dev.mlsuite.vision.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.mlsuite.vision.mesh.eval.SurfaceMetrics;
import dev.mlsuite.vision.splat.Camera;
import dev.mlsuite.vision.splat.SceneBounds;
import dev.mlsuite.vision.splat.ViewPlanner;

class TsdfMarchingCubesTest {

    private static final double RADIUS = 1.0;
    private static ForkJoinPool pool;

    @BeforeAll
    static void startPool() {
        pool = new ForkJoinPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdown();
    }

    /** Returns camera z of the first ray-sphere hit per pixel, NaN where the ray misses. */
    private static float[] sphereDepth(Camera camera) {
        double[] centre = camera.centre();
        double[] r = camera.rotation();
        float[] depth = new float[camera.width() * camera.height()];
        for (int v = 0; v < camera.height(); v++) {
            for (int u = 0; u < camera.width(); u++) {
                // Ray direction in camera coordinates with z = 1, rotated to world by R^T.
                double xc = (u - camera.cx()) / camera.fx();
                double yc = (v - camera.cy()) / camera.fy();
                double dx = r[0] * xc + r[3] * yc + r[6];
                double dy = r[1] * xc + r[4] * yc + r[7];
                double dz = r[2] * xc + r[5] * yc + r[8];
                double a = dx * dx + dy * dy + dz * dz;
                double b = 2 * (centre[0] * dx + centre[1] * dy + centre[2] * dz);
                double c = centre[0] * centre[0] + centre[1] * centre[1] + centre[2] * centre[2] - RADIUS * RADIUS;
                double discriminant = b * b - 4 * a * c;
                depth[v * camera.width() + u] = discriminant < 0 ? Float.NaN
                        : (float) ((-b - Math.sqrt(discriminant)) / (2 * a));
            }
        }
        return depth;
    }

    @Test
    void fusedSphereDepthsGiveClosedAccurateSphere() {
        SceneBounds bounds = new SceneBounds(new double[3], RADIUS, new double[] {-1, -1, -1}, new double[] {1, 1, 1});
        List<Camera> cameras = ViewPlanner.around(bounds, 16, 2.5, 160, 120, new double[] {0, 0, 1});
        VoxelGrid grid = VoxelGrid.covering(new double[] {-1.2, -1.2, -1.2}, new double[] {1.2, 1.2, 1.2}, 48);
        TsdfVolume volume = new TsdfVolume(grid, 4 * grid.voxelSize());
        for (Camera camera : cameras) {
            float[] depth = sphereDepth(camera);
            float[] rgb = new float[3 * depth.length];
            java.util.Arrays.fill(rgb, 0.5f);
            volume.integrate(depth, rgb, camera, 0.1, 10, pool);
        }

        TriangleMesh mesh = MarchingCubes.extract(volume);

        long[] edges = mesh.edgeUseCounts();
        assertThat(edges[0]).as("boundary edges").isZero();
        assertThat(edges[2]).as("edges shared by more than two faces").isZero();
        assertThat(MeshCleanup.componentCount(mesh)).isEqualTo(1);
        double[] distances = distancesToSphere(mesh, 20_000);
        assertThat(distances[0]).as("mean distance to the sphere").isLessThan(0.15 * grid.voxelSize());
        assertThat(distances[1]).as("largest distance to the sphere").isLessThan(grid.voxelSize());
        assertThat(mesh.area()).isCloseTo(4 * Math.PI, org.assertj.core.api.Assertions.withinPercentage(4));
        assertThat(mesh.colours()[0] & 0xff).isBetween(126, 129);
    }

    private static double[] distancesToSphere(TriangleMesh mesh, int samples) {
        double[] points = SurfaceMetrics.samplePoints(mesh, samples, new Random(1));
        double sum = 0;
        double max = 0;
        for (int s = 0; s < samples; s++) {
            double distance = Math.abs(Math.sqrt(points[3 * s] * points[3 * s] + points[3 * s + 1] * points[3 * s + 1]
                    + points[3 * s + 2] * points[3 * s + 2]) - RADIUS);
            sum += distance;
            max = Math.max(max, distance);
        }
        return new double[] {sum / samples, max};
    }

    @Test
    void marchingCubesOrientsNormalsOutwards() {
        VoxelGrid grid = VoxelGrid.covering(new double[] {-1.5, -1.5, -1.5}, new double[] {1.5, 1.5, 1.5}, 24);
        float[] values = new float[(int) grid.pointCount()];
        for (int k = 0; k < grid.sizeZ(); k++) {
            for (int j = 0; j < grid.sizeY(); j++) {
                for (int i = 0; i < grid.sizeX(); i++) {
                    double x = grid.origin()[0] + i * grid.voxelSize();
                    double y = grid.origin()[1] + j * grid.voxelSize();
                    double z = grid.origin()[2] + k * grid.voxelSize();
                    // Two touching blobs exercise the ambiguous face configurations.
                    double blobA = Math.sqrt((x - 0.5) * (x - 0.5) + y * y + z * z) - 0.6;
                    double blobB = Math.sqrt((x + 0.5) * (x + 0.5) + y * y + z * z) - 0.55;
                    values[grid.index(i, j, k)] = (float) Math.min(blobA, blobB);
                }
            }
        }

        TriangleMesh mesh = MarchingCubes.extract(grid, values, null, null, false);

        long[] edges = mesh.edgeUseCounts();
        assertThat(mesh.faceCount()).isGreaterThan(500);
        assertThat(edges[0]).isZero();
        assertThat(edges[2]).isZero();
        int outward = 0;
        for (int f = 0; f < mesh.faceCount(); f++) {
            float[] v = mesh.vertices();
            int a = 3 * mesh.faces()[3 * f];
            int b = 3 * mesh.faces()[3 * f + 1];
            int c = 3 * mesh.faces()[3 * f + 2];
            double[] u = {v[b] - v[a], v[b + 1] - v[a + 1], v[b + 2] - v[a + 2]};
            double[] w = {v[c] - v[a], v[c + 1] - v[a + 1], v[c + 2] - v[a + 2]};
            double[] normal = {u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]};
            double centreX = v[a] > 0 ? v[a] - 0.5 : v[a] + 0.5;
            double dot = normal[0] * centreX + normal[1] * v[a + 1] + normal[2] * v[a + 2];
            outward += dot > 0 ? 1 : 0;
        }
        assertThat(outward).isGreaterThan((int) (0.97 * mesh.faceCount()));
    }

    @Test
    void randomFieldGivesClosedManifoldSurface() {
        // Random values hit every corner pattern, including the ambiguous ones; a border of
        // outside values closes the surface.
        VoxelGrid grid = VoxelGrid.covering(new double[3], new double[] {1, 1, 1}, 15);
        Random random = new Random(11);
        float[] values = new float[(int) grid.pointCount()];
        for (int k = 0; k < grid.sizeZ(); k++) {
            for (int j = 0; j < grid.sizeY(); j++) {
                for (int i = 0; i < grid.sizeX(); i++) {
                    boolean border = i == 0 || j == 0 || k == 0 || i == grid.sizeX() - 1 || j == grid.sizeY() - 1
                            || k == grid.sizeZ() - 1;
                    values[grid.index(i, j, k)] = border ? 1f : random.nextFloat() * 2 - 1;
                }
            }
        }

        TriangleMesh mesh = MarchingCubes.extract(grid, values, null, null, false);

        long[] edges = mesh.edgeUseCounts();
        assertThat(mesh.faceCount()).isGreaterThan(5_000);
        assertThat(edges[0]).as("boundary edges").isZero();
        assertThat(edges[2]).as("edges shared by more than two faces").isZero();
    }

    @Test
    void cleanupDropsSmallComponents() {
        VoxelGrid grid = VoxelGrid.covering(new double[] {-2, -2, -2}, new double[] {2, 2, 2}, 32);
        float[] values = new float[(int) grid.pointCount()];
        for (int k = 0; k < grid.sizeZ(); k++) {
            for (int j = 0; j < grid.sizeY(); j++) {
                for (int i = 0; i < grid.sizeX(); i++) {
                    double x = grid.origin()[0] + i * grid.voxelSize();
                    double y = grid.origin()[1] + j * grid.voxelSize();
                    double z = grid.origin()[2] + k * grid.voxelSize();
                    double big = Math.sqrt(x * x + y * y + z * z) - 1;
                    double small = Math.sqrt((x - 1.6) * (x - 1.6) + (y - 1.6) * (y - 1.6) + z * z) - 0.2;
                    values[grid.index(i, j, k)] = (float) Math.min(big, small);
                }
            }
        }
        TriangleMesh mesh = MarchingCubes.extract(grid, values, null, null, false);

        TriangleMesh cleaned = MeshCleanup.removeSmallComponents(mesh, 0.05);

        assertThat(MeshCleanup.componentCount(mesh)).isEqualTo(2);
        assertThat(MeshCleanup.componentCount(cleaned)).isEqualTo(1);
        assertThat(cleaned.bounds()[3]).isLessThan(1.1);
        assertThat(cleaned.edgeUseCounts()[0]).isZero();
    }
}
