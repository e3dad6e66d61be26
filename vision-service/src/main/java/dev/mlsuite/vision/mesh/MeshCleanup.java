package dev.mlsuite.vision.mesh;

import java.util.Arrays;

/** Removes small disconnected pieces of a mesh, such as fused noise and floaters. */
public final class MeshCleanup {

    private MeshCleanup() {
    }

    /**
     * Returns the mesh without the connected components (faces linked through shared vertices)
     * that have fewer than {@code minFraction} times the faces of the largest component.
     */
    public static TriangleMesh removeSmallComponents(TriangleMesh mesh, double minFraction) {
        int vertexCount = mesh.vertexCount();
        int[] faces = mesh.faces();
        if (faces.length == 0 || minFraction <= 0) {
            return mesh;
        }
        int[] parent = new int[vertexCount];
        for (int v = 0; v < vertexCount; v++) {
            parent[v] = v;
        }
        for (int f = 0; f < faces.length; f += 3) {
            union(parent, faces[f], faces[f + 1]);
            union(parent, faces[f], faces[f + 2]);
        }
        int[] facesPerRoot = new int[vertexCount];
        int largest = 0;
        for (int f = 0; f < faces.length; f += 3) {
            int root = find(parent, faces[f]);
            facesPerRoot[root]++;
            largest = Math.max(largest, facesPerRoot[root]);
        }
        double minFaces = minFraction * largest;

        int[] newIndex = new int[vertexCount];
        Arrays.fill(newIndex, -1);
        int keptVertices = 0;
        int keptFaceValues = 0;
        int[] keptFaces = new int[faces.length];
        for (int f = 0; f < faces.length; f += 3) {
            if (facesPerRoot[find(parent, faces[f])] < minFaces) {
                continue;
            }
            for (int k = 0; k < 3; k++) {
                int v = faces[f + k];
                if (newIndex[v] < 0) {
                    newIndex[v] = keptVertices++;
                }
                keptFaces[keptFaceValues++] = newIndex[v];
            }
        }
        float[] vertices = new float[3 * keptVertices];
        byte[] colours = mesh.colours() == null ? null : new byte[3 * keptVertices];
        for (int v = 0; v < vertexCount; v++) {
            if (newIndex[v] >= 0) {
                System.arraycopy(mesh.vertices(), 3 * v, vertices, 3 * newIndex[v], 3);
                if (colours != null) {
                    System.arraycopy(mesh.colours(), 3 * v, colours, 3 * newIndex[v], 3);
                }
            }
        }
        return new TriangleMesh(vertices, colours, Arrays.copyOf(keptFaces, keptFaceValues));
    }

    /** Returns the number of connected components. */
    public static int componentCount(TriangleMesh mesh) {
        int[] parent = new int[mesh.vertexCount()];
        for (int v = 0; v < parent.length; v++) {
            parent[v] = v;
        }
        int[] faces = mesh.faces();
        for (int f = 0; f < faces.length; f += 3) {
            union(parent, faces[f], faces[f + 1]);
            union(parent, faces[f], faces[f + 2]);
        }
        boolean[] isRoot = new boolean[parent.length];
        int components = 0;
        for (int f = 0; f < faces.length; f += 3) {
            int root = find(parent, faces[f]);
            if (!isRoot[root]) {
                isRoot[root] = true;
                components++;
            }
        }
        return components;
    }

    private static int find(int[] parent, int v) {
        while (parent[v] != v) {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        return v;
    }

    private static void union(int[] parent, int a, int b) {
        int rootA = find(parent, a);
        int rootB = find(parent, b);
        if (rootA != rootB) {
            parent[rootA] = rootB;
        }
    }
}
