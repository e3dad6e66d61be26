package dev.mlsuite.vision.mesh.eval;

import java.util.Random;

import dev.mlsuite.vision.splat.GaussianScene;
import dev.mlsuite.vision.splat.SphericalHarmonics;

/**
 * Builds Gaussian splatting scenes with exact ground truth: flat, nearly opaque Gaussians whose
 * centres lie on an analytic surface, oriented in its tangent plane and coloured with a random
 * texture, so that stereo matching has detail to lock on to.
 */
public final class SyntheticScenes {

    /** Thickness of each Gaussian along the surface normal, relative to its tangent scale. */
    static final double NORMAL_SCALE_RATIO = 0.05;

    private SyntheticScenes() {
    }

    /**
     * Returns {@code count} Gaussians on {@code shape}, reproducible from {@code seed}. The tangent
     * scale is chosen so that neighbouring discs overlap and the surface looks closed.
     */
    public static GaussianScene create(SyntheticShape shape, int count, long seed) {
        Random random = new Random(seed);
        float[] positions = new float[3 * count];
        float[] scales = new float[3 * count];
        float[] rotations = new float[4 * count];
        float[] opacities = new float[count];
        float[] shDc = new float[3 * count];
        double tangentScale = 0.9 * Math.sqrt(shape.area() / count);
        double[] point = new double[3];
        double[] normal = new double[3];
        for (int i = 0; i < count; i++) {
            shape.sample(random, point, normal);
            for (int axis = 0; axis < 3; axis++) {
                positions[3 * i + axis] = (float) point[axis];
            }
            scales[3 * i] = (float) tangentScale;
            scales[3 * i + 1] = (float) tangentScale;
            scales[3 * i + 2] = (float) (tangentScale * NORMAL_SCALE_RATIO);
            writeRotationToNormal(normal, rotations, i);
            opacities[i] = 0.95f;
            double brightness = 0.25 + 0.75 * random.nextDouble();
            double[] tint = {0.75 + 0.25 * Math.sin(3 * point[0]), 0.75 + 0.25 * Math.sin(3 * point[1] + 1),
                0.75 + 0.25 * Math.sin(3 * point[2] + 2)};
            for (int channel = 0; channel < 3; channel++) {
                double colour = brightness * tint[channel];
                shDc[3 * i + channel] = (float) ((colour - 0.5) / SphericalHarmonics.C0);
            }
        }
        return new GaussianScene(count, 0, positions, scales, rotations, opacities, shDc, new float[0]);
    }

    /** Writes the unit quaternion (w, x, y, z) of a rotation that maps the local z axis onto {@code normal}. */
    private static void writeRotationToNormal(double[] normal, float[] rotations, int i) {
        // Rotation about the axis z x n by the angle between z and n; the half-angle form avoids trigonometry.
        double w = 1 + normal[2];
        double x = -normal[1];
        double y = normal[0];
        double z = 0;
        if (w < 1e-9) {
            w = 0;
            x = 1;
            y = 0;
        }
        double norm = Math.sqrt(w * w + x * x + y * y + z * z);
        rotations[4 * i] = (float) (w / norm);
        rotations[4 * i + 1] = (float) (x / norm);
        rotations[4 * i + 2] = (float) (y / norm);
        rotations[4 * i + 3] = (float) (z / norm);
    }
}
