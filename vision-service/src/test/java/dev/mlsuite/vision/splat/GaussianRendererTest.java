package dev.mlsuite.vision.splat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GaussianRendererTest {

    private static final int SIZE = 101;
    private static final double FOCAL = 100;
    private static ForkJoinPool pool;

    @BeforeAll
    static void startPool() {
        pool = new ForkJoinPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdown();
    }

    /** Returns a camera at the origin looking along +z, with the principal point at pixel (50, 50). */
    private static Camera camera() {
        return new Camera("test", SIZE, SIZE, FOCAL, FOCAL, 50, 50, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1},
                new double[] {0, 0, 0});
    }

    private static float dcFor(double colour) {
        return (float) ((colour - 0.5) / SphericalHarmonics.C0);
    }

    private static GaussianScene singleGaussian(float x, float y, float z, float[] scale, float[] rotation,
            float opacity, double grey) {
        float dc = dcFor(grey);
        return new GaussianScene(1, 0, new float[] {x, y, z}, scale, rotation, new float[] {opacity},
                new float[] {dc, dc, dc}, new float[0]);
    }

    @Test
    void isotropicGaussianMatchesAnalyticFootprint() {
        GaussianScene scene = singleGaussian(0.2f, -0.1f, 5, new float[] {0.1f, 0.1f, 0.1f},
                new float[] {1, 0, 0, 0}, 0.8f, 0.6);

        RenderedView view = new GaussianRenderer(pool).render(scene, camera(), 0.01);

        // The mean projects to (50 + 100 * 0.2 / 5, 50 - 100 * 0.1 / 5) = (54, 48).
        int centre = 48 * SIZE + 54;
        assertThat(view.alpha()[centre]).isCloseTo(0.8f, within(1e-5f));
        assertThat(view.rgb()[3 * centre]).isCloseTo(0.6f * 0.8f, within(1e-4f));
        assertThat(view.expectedDepth(0.01f)[centre]).isCloseTo(5f, within(1e-4f));

        // Screen-space variance: (f * sigma / z)^2 = 4 pixels squared, plus the 0.3 low-pass dilation.
        double variance = 4 + 0.3;
        for (int offset = 1; offset <= 5; offset++) {
            double expected = 0.8 * Math.exp(-offset * offset / (2 * variance));
            assertThat(view.alpha()[centre + offset]).as("alpha %d px right", offset)
                    .isCloseTo((float) expected, within(5e-4f));
            assertThat(view.alpha()[centre - offset * SIZE]).as("alpha %d px up", offset)
                    .isCloseTo((float) expected, within(5e-4f));
        }
        // Beyond about 6.9 pixels the weight falls below 1/255 and is skipped.
        assertThat(view.alpha()[centre + 7]).isZero();
        assertThat(view.alpha()[0]).isZero();
    }

    @Test
    void rotatedAnisotropicGaussianStretchesAlongRotatedAxis() {
        // Scale 0.2 along local x, rotated by 90 degrees about z, so the long axis becomes world y (image rows).
        float half = (float) Math.sqrt(0.5);
        GaussianScene scene = singleGaussian(0, 0, 5, new float[] {0.2f, 0.05f, 0.05f},
                new float[] {half, 0, 0, half}, 0.9f, 0.5);

        RenderedView view = new GaussianRenderer(pool).render(scene, camera(), 0.01);

        int centre = 50 * SIZE + 50;
        double longVariance = 16 + 0.3;
        double shortVariance = 1 + 0.3;
        assertThat(view.alpha()[centre + 3 * SIZE]).isCloseTo((float) (0.9 * Math.exp(-9 / (2 * longVariance))),
                within(1e-4f));
        assertThat(view.alpha()[centre + 2]).isCloseTo((float) (0.9 * Math.exp(-4 / (2 * shortVariance))),
                within(1e-4f));
    }

    @Test
    void nearerGaussianOccludesFartherOne() {
        float dark = dcFor(0.1);
        float bright = dcFor(0.9);
        GaussianScene scene = new GaussianScene(2, 0, new float[] {0, 0, 8, 0, 0, 4},
                new float[] {0.2f, 0.2f, 0.2f, 0.1f, 0.1f, 0.1f}, new float[] {1, 0, 0, 0, 1, 0, 0, 0},
                new float[] {0.9f, 0.99f}, new float[] {dark, dark, dark, bright, bright, bright}, new float[0]);

        RenderedView view = new GaussianRenderer(pool).render(scene, camera(), 0.01);

        int centre = 50 * SIZE + 50;
        // Front-to-back: 0.99 of the bright near Gaussian, then 0.9 of the remaining 0.01 for the dark one.
        assertThat(view.rgb()[3 * centre]).isCloseTo(0.99f * 0.9f + 0.01f * 0.9f * 0.1f, within(1e-4f));
        assertThat(view.expectedDepth(0.01f)[centre]).isCloseTo((0.99f * 4 + 0.009f * 8) / 0.999f, within(1e-3f));
    }

    @Test
    void skipsGaussiansBehindNearPlane() {
        GaussianScene scene = singleGaussian(0, 0, -2, new float[] {0.5f, 0.5f, 0.5f}, new float[] {1, 0, 0, 0}, 0.9f,
                0.5);

        RenderedView view = new GaussianRenderer(pool).render(scene, camera(), 0.01);

        for (float alpha : view.alpha()) {
            assertThat(alpha).isZero();
        }
    }
}
