package dev.mlsuite.vision.mesh.eval;

import java.util.ArrayList;
import java.util.List;

import dev.mlsuite.vision.mesh.TriangleMesh;

/**
 * Exact point-to-mesh distance queries accelerated by a uniform grid: every triangle is listed in
 * the cells its bounding box overlaps, and a query scans rings of cells outwards until no closer
 * triangle can remain.
 */
final class TriangleDistanceIndex {

    private final TriangleMesh mesh;
    private final double[] origin = new double[3];
    private final double cellSize;
    private final int[] size = new int[3];
    private final int[][] cells;

    TriangleDistanceIndex(TriangleMesh mesh) {
        if (mesh.faceCount() == 0) {
            throw new IllegalArgumentException("Cannot measure distances to an empty mesh");
        }
        this.mesh = mesh;
        double[] bounds = mesh.bounds();
        double extent = 0;
        for (int axis = 0; axis < 3; axis++) {
            extent = Math.max(extent, bounds[axis + 3] - bounds[axis]);
        }
        int perAxis = (int) Math.max(1, Math.min(128, Math.cbrt(mesh.faceCount() / 2.0)));
        cellSize = Math.max(extent, 1e-9) / perAxis;
        for (int axis = 0; axis < 3; axis++) {
            origin[axis] = bounds[axis];
            size[axis] = Math.max(1, (int) Math.ceil((bounds[axis + 3] - bounds[axis]) / cellSize) + 1);
        }
        List<List<Integer>> lists = new ArrayList<>();
        for (int c = 0; c < size[0] * size[1] * size[2]; c++) {
            lists.add(new ArrayList<>());
        }
        float[] v = mesh.vertices();
        int[] f = mesh.faces();
        for (int t = 0; t < mesh.faceCount(); t++) {
            int[] low = new int[3];
            int[] high = new int[3];
            for (int axis = 0; axis < 3; axis++) {
                double min = Math.min(v[3 * f[3 * t] + axis], Math.min(v[3 * f[3 * t + 1] + axis], v[3 * f[3 * t + 2] + axis]));
                double max = Math.max(v[3 * f[3 * t] + axis], Math.max(v[3 * f[3 * t + 1] + axis], v[3 * f[3 * t + 2] + axis]));
                low[axis] = cell(min, axis);
                high[axis] = cell(max, axis);
            }
            for (int z = low[2]; z <= high[2]; z++) {
                for (int y = low[1]; y <= high[1]; y++) {
                    for (int x = low[0]; x <= high[0]; x++) {
                        lists.get((z * size[1] + y) * size[0] + x).add(t);
                    }
                }
            }
        }
        cells = new int[lists.size()][];
        for (int c = 0; c < cells.length; c++) {
            cells[c] = lists.get(c).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private int cell(double value, int axis) {
        return Math.max(0, Math.min(size[axis] - 1, (int) Math.floor((value - origin[axis]) / cellSize)));
    }

    /** Returns the distance from the point to the nearest triangle. */
    double distance(double px, double py, double pz) {
        int cx = cell(px, 0);
        int cy = cell(py, 1);
        int cz = cell(pz, 2);
        // For a point outside the grid, the gap to the grid adds to every ring distance as a lower bound.
        double outside = 0;
        double[] p = {px, py, pz};
        for (int axis = 0; axis < 3; axis++) {
            double low = origin[axis];
            double high = origin[axis] + size[axis] * cellSize;
            outside = Math.max(outside, Math.max(low - p[axis], p[axis] - high));
        }
        double best = Double.POSITIVE_INFINITY;
        int maxRing = Math.max(size[0], Math.max(size[1], size[2]));
        for (int ring = 0; ring <= maxRing; ring++) {
            if (best <= outside + (ring - 1) * cellSize) {
                break;
            }
            for (int z = cz - ring; z <= cz + ring; z++) {
                for (int y = cy - ring; y <= cy + ring; y++) {
                    for (int x = cx - ring; x <= cx + ring; x++) {
                        boolean onRing = Math.abs(x - cx) == ring || Math.abs(y - cy) == ring || Math.abs(z - cz) == ring;
                        if (!onRing || x < 0 || y < 0 || z < 0 || x >= size[0] || y >= size[1] || z >= size[2]) {
                            continue;
                        }
                        for (int t : cells[(z * size[1] + y) * size[0] + x]) {
                            best = Math.min(best, pointTriangleDistance(px, py, pz, t));
                        }
                    }
                }
            }
        }
        return best;
    }

    /**
     * Returns the exact distance from a point to triangle {@code t}. Degenerate triangles (collinear
     * or repeated vertices, which marching cubes emits when a grid value is exactly zero) make the
     * region test divide by zero, so they fall back to the distance to the three edges.
     */
    private double pointTriangleDistance(double px, double py, double pz, int t) {
        double distance = regionDistance(px, py, pz, t);
        if (!Double.isNaN(distance)) {
            return distance;
        }
        float[] v = mesh.vertices();
        int[] f = mesh.faces();
        double best = Double.POSITIVE_INFINITY;
        for (int k = 0; k < 3; k++) {
            int from = 3 * f[3 * t + k];
            int to = 3 * f[3 * t + (k + 1) % 3];
            best = Math.min(best, segmentDistance(px, py, pz, new double[] {v[from], v[from + 1], v[from + 2]},
                    new double[] {v[to], v[to + 1], v[to + 2]}));
        }
        return best;
    }

    private static double segmentDistance(double px, double py, double pz, double[] a, double[] b) {
        double[] ab = sub(b, a);
        double lengthSquared = dot(ab, ab);
        double s = lengthSquared > 0 ? dot(ab, new double[] {px - a[0], py - a[1], pz - a[2]}) / lengthSquared : 0;
        s = Math.max(0, Math.min(1, s));
        return distanceTo(px, py, pz, new double[] {a[0] + s * ab[0], a[1] + s * ab[1], a[2] + s * ab[2]});
    }

    /** Returns the distance by Voronoi-region case analysis, or NaN for a degenerate triangle. */
    private double regionDistance(double px, double py, double pz, int t) {
        float[] v = mesh.vertices();
        int[] f = mesh.faces();
        double[] a = {v[3 * f[3 * t]], v[3 * f[3 * t] + 1], v[3 * f[3 * t] + 2]};
        double[] b = {v[3 * f[3 * t + 1]], v[3 * f[3 * t + 1] + 1], v[3 * f[3 * t + 1] + 2]};
        double[] c = {v[3 * f[3 * t + 2]], v[3 * f[3 * t + 2] + 1], v[3 * f[3 * t + 2] + 2]};
        double[] ab = sub(b, a);
        double[] ac = sub(c, a);

        double[] ap = {px - a[0], py - a[1], pz - a[2]};
        double d1 = dot(ab, ap);
        double d2 = dot(ac, ap);
        if (d1 <= 0 && d2 <= 0) {
            return distanceTo(px, py, pz, a);
        }

        double[] bp = {px - b[0], py - b[1], pz - b[2]};
        double d3 = dot(ab, bp);
        double d4 = dot(ac, bp);
        if (d3 >= 0 && d4 <= d3) {
            return distanceTo(px, py, pz, b);
        }
        double vc = d1 * d4 - d3 * d2;
        if (vc <= 0 && d1 >= 0 && d3 <= 0) {
            double s = d1 / (d1 - d3);
            return distanceTo(px, py, pz, new double[] {a[0] + s * ab[0], a[1] + s * ab[1], a[2] + s * ab[2]});
        }

        double[] cp = {px - c[0], py - c[1], pz - c[2]};
        double d5 = dot(ab, cp);
        double d6 = dot(ac, cp);
        if (d6 >= 0 && d5 <= d6) {
            return distanceTo(px, py, pz, c);
        }
        double vb = d5 * d2 - d1 * d6;
        if (vb <= 0 && d2 >= 0 && d6 <= 0) {
            double s = d2 / (d2 - d6);
            return distanceTo(px, py, pz, new double[] {a[0] + s * ac[0], a[1] + s * ac[1], a[2] + s * ac[2]});
        }

        double va = d3 * d6 - d5 * d4;
        if (va <= 0 && (d4 - d3) >= 0 && (d5 - d6) >= 0) {
            double s = (d4 - d3) / ((d4 - d3) + (d5 - d6));
            return distanceTo(px, py, pz, new double[] {b[0] + s * (c[0] - b[0]), b[1] + s * (c[1] - b[1]),
                b[2] + s * (c[2] - b[2])});
        }

        double denominator = va + vb + vc;
        if (denominator == 0) {
            return distanceTo(px, py, pz, a);
        }
        double sv = vb / denominator;
        double sw = vc / denominator;
        return distanceTo(px, py, pz, new double[] {a[0] + ab[0] * sv + ac[0] * sw, a[1] + ab[1] * sv + ac[1] * sw,
            a[2] + ab[2] * sv + ac[2] * sw});
    }

    private static double[] sub(double[] p, double[] q) {
        return new double[] {p[0] - q[0], p[1] - q[1], p[2] - q[2]};
    }

    private static double dot(double[] p, double[] q) {
        return p[0] * q[0] + p[1] * q[1] + p[2] * q[2];
    }

    private static double distanceTo(double px, double py, double pz, double[] q) {
        double dx = px - q[0];
        double dy = py - q[1];
        double dz = pz - q[2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
}
