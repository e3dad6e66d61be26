package dev.mlsuite.vision.mesh;

import java.util.Arrays;

/**
 * Extracts the zero level set of a sampled scalar field as a triangle mesh with marching cubes
 * (Lorensen and Cline, 1987). Values below zero are inside. Vertices lie on grid edges by linear
 * interpolation and are shared between neighbouring cubes, so a closed level set gives a closed mesh.
 */
public final class MarchingCubes {

    private MarchingCubes() {
    }

    /**
     * Extracts the surface of a fused TSDF volume, skipping every cube with an unobserved corner
     * (weight 0) or a corner clamped at the truncation limit, where a sign change marks the edge of
     * the observed band rather than a surface.
     */
    public static TriangleMesh extract(TsdfVolume volume) {
        return extract(volume.grid(), volume.tsdf(), volume.weight(), volume.colour(), true);
    }

    /**
     * Extracts the zero level set of {@code values} sampled on {@code grid}. {@code weights}
     * (may be null) marks unobserved points with 0; {@code colours} (may be null) holds RGB in
     * [0, 1] per point, interpolated onto the vertices.
     */
    public static TriangleMesh extract(VoxelGrid grid, float[] values, float[] weights, float[] colours,
            boolean skipSaturated) {
        int sx = grid.sizeX();
        int sy = grid.sizeY();
        int sz = grid.sizeZ();
        int[] edgeVertex = new int[3 * (int) grid.pointCount()];
        Arrays.fill(edgeVertex, -1);
        FloatList vertices = new FloatList();
        FloatList vertexColours = new FloatList();
        IntList faces = new IntList();
        int[] cornerIndex = new int[8];
        int[] cubeVertices = new int[12];

        for (int k = 0; k + 1 < sz; k++) {
            for (int j = 0; j + 1 < sy; j++) {
                for (int i = 0; i + 1 < sx; i++) {
                    int pattern = 0;
                    boolean skip = false;
                    for (int c = 0; c < 8; c++) {
                        int index = grid.index(i + (c & 1), j + ((c >> 1) & 1), k + ((c >> 2) & 1));
                        cornerIndex[c] = index;
                        float value = values[index];
                        if ((weights != null && weights[index] <= 0) || (skipSaturated && Math.abs(value) >= 1f)) {
                            skip = true;
                        }
                        if (value < 0) {
                            pattern |= 1 << c;
                        }
                    }
                    int[] triangles = MarchingCubesTable.TRIANGLES[pattern];
                    if (triangles.length == 0 || skip) {
                        continue;
                    }
                    Arrays.fill(cubeVertices, -1);
                    for (int t = 0; t < triangles.length; t++) {
                        int edge = triangles[t];
                        if (cubeVertices[edge] < 0) {
                            cubeVertices[edge] = edgeVertex(grid, values, colours, cornerIndex, edge, edgeVertex,
                                    vertices, vertexColours);
                        }
                    }
                    for (int t = 0; t < triangles.length; t += 3) {
                        int a = cubeVertices[triangles[t]];
                        int b = cubeVertices[triangles[t + 1]];
                        int c = cubeVertices[triangles[t + 2]];
                        if (a != b && b != c && a != c) {
                            faces.add(a);
                            faces.add(b);
                            faces.add(c);
                        }
                    }
                }
            }
        }
        return new TriangleMesh(vertices.toArray(), colours == null ? null : toBytes(vertexColours.toArray()),
                faces.toArray());
    }

    private static int edgeVertex(VoxelGrid grid, float[] values, float[] colours, int[] cornerIndex, int edge,
            int[] edgeVertex, FloatList vertices, FloatList vertexColours) {
        int lower = cornerIndex[MarchingCubesTable.EDGE_CORNERS[edge][0]];
        int upper = cornerIndex[MarchingCubesTable.EDGE_CORNERS[edge][1]];
        int axis = MarchingCubesTable.EDGE_AXIS[edge];
        int key = 3 * lower + axis;
        if (edgeVertex[key] >= 0) {
            return edgeVertex[key];
        }
        float v0 = values[lower];
        float v1 = values[upper];
        double fraction = v0 / (double) (v0 - v1);
        int i = lower % grid.sizeX();
        int j = (lower / grid.sizeX()) % grid.sizeY();
        int k = lower / (grid.sizeX() * grid.sizeY());
        double[] position = {
            grid.origin()[0] + i * grid.voxelSize(),
            grid.origin()[1] + j * grid.voxelSize(),
            grid.origin()[2] + k * grid.voxelSize()
        };
        position[axis] += fraction * grid.voxelSize();
        int vertex = vertices.size() / 3;
        vertices.add((float) position[0]);
        vertices.add((float) position[1]);
        vertices.add((float) position[2]);
        if (colours != null) {
            for (int channel = 0; channel < 3; channel++) {
                vertexColours.add((float) (colours[3 * lower + channel] * (1 - fraction)
                        + colours[3 * upper + channel] * fraction));
            }
        }
        edgeVertex[key] = vertex;
        return vertex;
    }

    private static byte[] toBytes(float[] rgb) {
        byte[] bytes = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            bytes[i] = (byte) Math.round(Math.max(0, Math.min(1, rgb[i])) * 255);
        }
        return bytes;
    }

    /** A growable float array. */
    static final class FloatList {
        private float[] data = new float[1024];
        private int size;

        void add(float value) {
            if (size == data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = value;
        }

        int size() {
            return size;
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }

    /** A growable int array. */
    static final class IntList {
        private int[] data = new int[1024];
        private int size;

        void add(int value) {
            if (size == data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = value;
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
