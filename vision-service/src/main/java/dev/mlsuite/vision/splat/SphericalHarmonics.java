package dev.mlsuite.vision.splat;

/**
 * Evaluates the view-dependent colour of a Gaussian from real spherical harmonics of degree 0 to 3,
 * with the basis constants and sign convention of the 3D Gaussian Splatting reference renderer
 * (the result is offset by 0.5 and clamped at 0).
 */
public final class SphericalHarmonics {

    /** The degree-0 basis constant 1 / (2 sqrt(pi)). */
    public static final double C0 = 0.28209479177387814;
    private static final double C1 = 0.4886025119029199;
    private static final double[] C2 = {
        1.0925484305920792, -1.0925484305920792, 0.31539156525252005, -1.0925484305920792, 0.5462742152960396
    };
    private static final double[] C3 = {
        -0.5900435899266435, 2.890611442640554, -0.4570457994644658, 0.3731763325901154,
        -0.4570457994644658, 1.445305721320277, -0.5900435899266435
    };

    private SphericalHarmonics() {
    }

    /**
     * Writes the RGB colour of Gaussian {@code i} seen along the unit direction (dx, dy, dz) from the
     * camera to the Gaussian into {@code rgb}.
     */
    public static void colour(GaussianScene scene, int i, double dx, double dy, double dz, float[] rgb) {
        float[] dc = scene.shDc();
        float[] rest = scene.shRest();
        int restCount = scene.restCoefficients();
        int degree = scene.shDegree();
        double[] basis = new double[restCount];
        if (degree >= 1) {
            basis[0] = -C1 * dy;
            basis[1] = C1 * dz;
            basis[2] = -C1 * dx;
        }
        if (degree >= 2) {
            double xx = dx * dx;
            double yy = dy * dy;
            double zz = dz * dz;
            basis[3] = C2[0] * dx * dy;
            basis[4] = C2[1] * dy * dz;
            basis[5] = C2[2] * (2 * zz - xx - yy);
            basis[6] = C2[3] * dx * dz;
            basis[7] = C2[4] * (xx - yy);
            if (degree >= 3) {
                basis[8] = C3[0] * dy * (3 * xx - yy);
                basis[9] = C3[1] * dx * dy * dz;
                basis[10] = C3[2] * dy * (4 * zz - xx - yy);
                basis[11] = C3[3] * dz * (2 * zz - 3 * xx - 3 * yy);
                basis[12] = C3[4] * dx * (4 * zz - xx - yy);
                basis[13] = C3[5] * dz * (xx - yy);
                basis[14] = C3[6] * dx * (xx - 3 * yy);
            }
        }
        for (int channel = 0; channel < 3; channel++) {
            double value = C0 * dc[3 * i + channel];
            for (int j = 0; j < restCount; j++) {
                value += basis[j] * rest[(i * restCount + j) * 3 + channel];
            }
            rgb[channel] = (float) Math.max(0, value + 0.5);
        }
    }
}
