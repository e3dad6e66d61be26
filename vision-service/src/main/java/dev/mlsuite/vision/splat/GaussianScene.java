package dev.mlsuite.vision.splat;

import java.util.Arrays;

/**
 * A loaded 3D Gaussian Splatting scene in activated form: opacities after the sigmoid, scales
 * after the exponential and unit rotation quaternions. Arrays are indexed per Gaussian {@code i}:
 * {@code positions[3i..3i+2]}, {@code scales[3i..3i+2]}, {@code rotations[4i..4i+3]} as (w, x, y, z),
 * {@code shDc[3i..3i+2]} (RGB) and {@code shRest[(i * restCoefficients + j) * 3 + channel]} for the
 * higher-order spherical-harmonics coefficients {@code j = 0 .. restCoefficients - 1}.
 */
public final class GaussianScene {

    private final int count;
    private final int shDegree;
    private final float[] positions;
    private final float[] scales;
    private final float[] rotations;
    private final float[] opacities;
    private final float[] shDc;
    private final float[] shRest;

    public GaussianScene(int count, int shDegree, float[] positions, float[] scales, float[] rotations,
            float[] opacities, float[] shDc, float[] shRest) {
        if (shDegree < 0 || shDegree > 3) {
            throw new IllegalArgumentException("Spherical-harmonics degree must be 0..3, got " + shDegree);
        }
        int rest = restCoefficientCount(shDegree);
        requireLength("positions", positions, 3L * count);
        requireLength("scales", scales, 3L * count);
        requireLength("rotations", rotations, 4L * count);
        requireLength("opacities", opacities, count);
        requireLength("shDc", shDc, 3L * count);
        requireLength("shRest", shRest, 3L * rest * count);
        this.count = count;
        this.shDegree = shDegree;
        this.positions = positions;
        this.scales = scales;
        this.rotations = rotations;
        this.opacities = opacities;
        this.shDc = shDc;
        this.shRest = shRest;
    }

    /** Returns the number of spherical-harmonics coefficients per channel beyond the DC term: 0, 3, 8 or 15. */
    public static int restCoefficientCount(int shDegree) {
        return (shDegree + 1) * (shDegree + 1) - 1;
    }

    private static void requireLength(String name, float[] array, long expected) {
        if (array.length != expected) {
            throw new IllegalArgumentException(name + " has " + array.length + " values, expected " + expected);
        }
    }

    public int count() {
        return count;
    }

    public int shDegree() {
        return shDegree;
    }

    public int restCoefficients() {
        return restCoefficientCount(shDegree);
    }

    public float[] positions() {
        return positions;
    }

    public float[] scales() {
        return scales;
    }

    public float[] rotations() {
        return rotations;
    }

    public float[] opacities() {
        return opacities;
    }

    public float[] shDc() {
        return shDc;
    }

    public float[] shRest() {
        return shRest;
    }

    @Override
    public String toString() {
        return "GaussianScene[count=" + count + ", shDegree=" + shDegree + ", firstPosition="
                + Arrays.toString(Arrays.copyOf(positions, Math.min(3, positions.length))) + "]";
    }
}
