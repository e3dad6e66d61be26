package dev.mlsuite.vision.mesh;

import java.util.ArrayList;
import java.util.List;

/**
 * The triangle table of marching cubes, derived at class load from the cube's topology instead of
 * being typed in. Corner {@code c} of a cube sits at offset {@code (c & 1, (c >> 1) & 1, (c >> 2) & 1)}.
 * For each of the 256 inside/outside patterns, every cube face contributes directed segments
 * between its sign-changing edges. On a face with two diagonal inside corners the segments always
 * cut off the inside corners. Because that choice depends only on the face's own corners, two cubes
 * sharing a face produce the same segments and the extracted surface has no cracks. The segments
 * chain into closed loops, which are fanned into triangles whose normals point from inside to outside.
 */
final class MarchingCubesTable {

    /** The two corners of each of the 12 cube edges; the first corner is the lower one. */
    static final int[][] EDGE_CORNERS = new int[12][];

    /** Axis (0 = x, 1 = y, 2 = z) along which each cube edge runs. */
    static final int[] EDGE_AXIS = new int[12];

    /** For each corner pattern, a flat list of edge indices, three per triangle. */
    static final int[][] TRIANGLES = new int[256][];

    static {
        int edge = 0;
        for (int axis = 0; axis < 3; axis++) {
            for (int corner = 0; corner < 8; corner++) {
                if ((corner & (1 << axis)) == 0) {
                    EDGE_CORNERS[edge] = new int[] {corner, corner | (1 << axis)};
                    EDGE_AXIS[edge] = axis;
                    edge++;
                }
            }
        }
        int[][] faces = facesCounterClockwiseFromOutside();
        for (int pattern = 0; pattern < 256; pattern++) {
            TRIANGLES[pattern] = triangulate(pattern, faces);
        }
    }

    private MarchingCubesTable() {
    }

    private static int edgeBetween(int a, int b) {
        for (int e = 0; e < 12; e++) {
            int[] corners = EDGE_CORNERS[e];
            if ((corners[0] == a && corners[1] == b) || (corners[0] == b && corners[1] == a)) {
                return e;
            }
        }
        throw new IllegalStateException("Corners " + a + " and " + b + " share no edge");
    }

    private static double[] cornerPosition(int corner) {
        return new double[] {corner & 1, (corner >> 1) & 1, (corner >> 2) & 1};
    }

    /** Returns the 6 faces, each as 4 corners in counter-clockwise order seen from outside the cube. */
    private static int[][] facesCounterClockwiseFromOutside() {
        int[][] faces = new int[6][];
        int f = 0;
        for (int axis = 0; axis < 3; axis++) {
            int b = (axis + 1) % 3;
            int c = (axis + 2) % 3;
            for (int side = 0; side < 2; side++) {
                int base = side << axis;
                int[] cycle = {base, base | (1 << b), base | (1 << b) | (1 << c), base | (1 << c)};
                double[] p0 = cornerPosition(cycle[0]);
                double[] p1 = cornerPosition(cycle[1]);
                double[] p2 = cornerPosition(cycle[2]);
                double[] u = {p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]};
                double[] v = {p2[0] - p1[0], p2[1] - p1[1], p2[2] - p1[2]};
                double normalAlongAxis = switch (axis) {
                    case 0 -> u[1] * v[2] - u[2] * v[1];
                    case 1 -> u[2] * v[0] - u[0] * v[2];
                    default -> u[0] * v[1] - u[1] * v[0];
                };
                boolean outward = side == 1 ? normalAlongAxis > 0 : normalAlongAxis < 0;
                faces[f++] = outward ? cycle : new int[] {cycle[0], cycle[3], cycle[2], cycle[1]};
            }
        }
        return faces;
    }

    private static int[] triangulate(int pattern, int[][] faces) {
        int[] nextEdge = new int[12];
        java.util.Arrays.fill(nextEdge, -1);
        for (int[] face : faces) {
            addFaceSegments(pattern, face, nextEdge);
        }

        List<Integer> triangles = new ArrayList<>();
        boolean[] used = new boolean[12];
        for (int start = 0; start < 12; start++) {
            if (nextEdge[start] < 0 || used[start]) {
                continue;
            }
            List<Integer> loop = new ArrayList<>();
            int current = start;
            while (!used[current]) {
                used[current] = true;
                loop.add(current);
                current = nextEdge[current];
            }
            int first = fanStart(loop);
            if (first < 0) {
                throw new IllegalStateException("No fan triangulation without face diagonals for pattern " + pattern);
            }
            for (int k = 1; k + 1 < loop.size(); k++) {
                triangles.add(loop.get(first));
                triangles.add(loop.get((first + k) % loop.size()));
                triangles.add(loop.get((first + k + 1) % loop.size()));
            }
        }
        return triangles.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Returns a loop position from which a triangle fan adds no diagonal between two edges of one
     * cube face, or -1 if none exists. Such a diagonal would lie in the face shared with the
     * neighbouring cube, which may add the same diagonal, leaving an edge used by four triangles.
     */
    private static int fanStart(List<Integer> loop) {
        int n = loop.size();
        for (int start = 0; start < n; start++) {
            boolean safe = true;
            for (int k = 2; k <= n - 2 && safe; k++) {
                safe = !shareFace(loop.get(start), loop.get((start + k) % n));
            }
            if (safe) {
                return start;
            }
        }
        return -1;
    }

    /** Returns whether two cube edges lie on a common face: their four corners agree on one axis bit. */
    private static boolean shareFace(int edgeA, int edgeB) {
        int[] a = EDGE_CORNERS[edgeA];
        int[] b = EDGE_CORNERS[edgeB];
        for (int axis = 0; axis < 3; axis++) {
            int bit = 1 << axis;
            int value = a[0] & bit;
            if ((a[1] & bit) == value && (b[0] & bit) == value && (b[1] & bit) == value) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds this face's directed segments: each segment starts at an edge crossed from an outside to
     * an inside corner (walking counter-clockwise) and ends at the next edge crossed from inside to outside.
     */
    private static void addFaceSegments(int pattern, int[] face, int[] nextEdge) {
        boolean[] inside = new boolean[4];
        for (int k = 0; k < 4; k++) {
            inside[k] = (pattern & (1 << face[k])) != 0;
        }
        for (int k = 0; k < 4; k++) {
            boolean entering = !inside[k] && inside[(k + 1) % 4];
            if (!entering) {
                continue;
            }
            for (int step = 1; step < 4; step++) {
                int j = (k + step) % 4;
                boolean leaving = inside[j] && !inside[(j + 1) % 4];
                if (leaving) {
                    int from = edgeBetween(face[k], face[(k + 1) % 4]);
                    int to = edgeBetween(face[j], face[(j + 1) % 4]);
                    nextEdge[from] = to;
                    break;
                }
            }
        }
    }
}
