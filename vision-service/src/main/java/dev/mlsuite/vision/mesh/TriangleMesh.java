package dev.mlsuite.vision.mesh;

import java.util.HashMap;
import java.util.Map;

/**
 * An indexed triangle mesh with optional per-vertex RGB colours. Triangles are counter-clockwise
 * when seen from outside, so their normals point out of the surface.
 *
 * @param vertices {@code [vertexCount, 3]} positions, flattened
 * @param colours {@code [vertexCount, 3]} RGB bytes, flattened, or null
 * @param faces {@code [faceCount, 3]} vertex indices, flattened
 */
public record TriangleMesh(float[] vertices, byte[] colours, int[] faces) {

    public TriangleMesh {
        if (vertices.length % 3 != 0 || faces.length % 3 != 0) {
            throw new IllegalArgumentException("Vertex and face arrays must hold triples");
        }
        if (colours != null && colours.length != vertices.length) {
            throw new IllegalArgumentException("Need one RGB triple per vertex");
        }
    }

    public int vertexCount() {
        return vertices.length / 3;
    }

    public int faceCount() {
        return faces.length / 3;
    }

    /** Returns {minX, minY, minZ, maxX, maxY, maxZ}, or NaNs for an empty mesh. */
    public double[] bounds() {
        double[] bounds = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        for (int v = 0; v < vertexCount(); v++) {
            for (int axis = 0; axis < 3; axis++) {
                double value = vertices[3 * v + axis];
                bounds[axis] = v == 0 ? value : Math.min(bounds[axis], value);
                bounds[axis + 3] = v == 0 ? value : Math.max(bounds[axis + 3], value);
            }
        }
        return bounds;
    }

    /** Returns the total surface area. */
    public double area() {
        double area = 0;
        for (int f = 0; f < faceCount(); f++) {
            area += triangleArea(f);
        }
        return area;
    }

    double triangleArea(int face) {
        int a = 3 * faces[3 * face];
        int b = 3 * faces[3 * face + 1];
        int c = 3 * faces[3 * face + 2];
        double ux = vertices[b] - vertices[a];
        double uy = vertices[b + 1] - vertices[a + 1];
        double uz = vertices[b + 2] - vertices[a + 2];
        double vx = vertices[c] - vertices[a];
        double vy = vertices[c + 1] - vertices[a + 1];
        double vz = vertices[c + 2] - vertices[a + 2];
        double nx = uy * vz - uz * vy;
        double ny = uz * vx - ux * vz;
        double nz = ux * vy - uy * vx;
        return 0.5 * Math.sqrt(nx * nx + ny * ny + nz * nz);
    }

    /**
     * Counts undirected edges by the number of faces that use them: index 0 holds boundary edges
     * (one face), index 1 manifold edges (two faces) and index 2 edges shared by more than two faces.
     * A closed manifold surface has only manifold edges.
     */
    public long[] edgeUseCounts() {
        Map<Long, Integer> uses = new HashMap<>(faces.length * 2);
        for (int f = 0; f < faceCount(); f++) {
            for (int k = 0; k < 3; k++) {
                long a = faces[3 * f + k];
                long b = faces[3 * f + (k + 1) % 3];
                long key = Math.min(a, b) << 32 | Math.max(a, b);
                uses.merge(key, 1, Integer::sum);
            }
        }
        long[] counts = new long[3];
        for (int use : uses.values()) {
            counts[Math.min(use, 3) - 1]++;
        }
        return counts;
    }
}
