package dev.mlsuite.vision.splat;

import java.util.Arrays;

/**
 * Robust extent of a Gaussian scene, ignoring nearly transparent Gaussians and outlying floaters:
 * the centre is the per-axis median of the Gaussian means, the radius the 97.5th percentile of
 * their distances to it, and the box spans the 0.5th to 99.5th percentile per axis.
 */
public record SceneBounds(double[] centre, double radius, double[] boxMin, double[] boxMax) {

    /** Gaussians below this opacity do not count towards the bounds unless too few remain. */
    static final float MIN_OPACITY = 0.1f;

    public static SceneBounds of(GaussianScene scene) {
        int[] selected = selectOpaque(scene);
        float[] pos = scene.positions();
        double[] centre = new double[3];
        double[] boxMin = new double[3];
        double[] boxMax = new double[3];
        double[] values = new double[selected.length];
        for (int axis = 0; axis < 3; axis++) {
            for (int k = 0; k < selected.length; k++) {
                values[k] = pos[3 * selected[k] + axis];
            }
            Arrays.sort(values);
            centre[axis] = percentile(values, 0.5);
            boxMin[axis] = percentile(values, 0.005);
            boxMax[axis] = percentile(values, 0.995);
        }
        for (int k = 0; k < selected.length; k++) {
            int i = selected[k];
            double dx = pos[3 * i] - centre[0];
            double dy = pos[3 * i + 1] - centre[1];
            double dz = pos[3 * i + 2] - centre[2];
            values[k] = Math.sqrt(dx * dx + dy * dy + dz * dz);
        }
        Arrays.sort(values);
        double radius = percentile(values, 0.975);
        if (!(radius > 0)) {
            double extent = 0;
            for (int axis = 0; axis < 3; axis++) {
                extent = Math.max(extent, boxMax[axis] - boxMin[axis]);
            }
            radius = extent > 0 ? extent / 2 : 1e-3;
        }
        return new SceneBounds(centre, radius, boxMin, boxMax);
    }

    private static int[] selectOpaque(GaussianScene scene) {
        int opaque = 0;
        for (float opacity : scene.opacities()) {
            opaque += opacity >= MIN_OPACITY ? 1 : 0;
        }
        boolean useAll = opaque < Math.max(1, scene.count() / 100);
        int[] selected = new int[useAll ? scene.count() : opaque];
        int k = 0;
        for (int i = 0; i < scene.count(); i++) {
            if (useAll || scene.opacities()[i] >= MIN_OPACITY) {
                selected[k++] = i;
            }
        }
        return selected;
    }

    private static double percentile(double[] sorted, double fraction) {
        double position = fraction * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(sorted.length - 1, lower + 1);
        double weight = position - lower;
        return sorted[lower] * (1 - weight) + sorted[upper] * weight;
    }

    /** Returns the diameter of the robust bounding sphere. */
    public double diameter() {
        return 2 * radius;
    }
}
