package dev.mlsuite.vision.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ImageQualityTest {

    @Test
    void psnrOfUniformError() {
        RgbImage black = TestImages.grey(new float[16][16]);
        float[][] luma = new float[16][16];
        for (float[] row : luma) {
            java.util.Arrays.fill(row, 0.1f);
        }

        // MSE = 0.01, so PSNR = 10 * log10(1 / 0.01) = 20 dB.
        assertThat(ImageQuality.psnr(black, TestImages.grey(luma))).isCloseTo(20.0, within(1e-4));
        assertThat(ImageQuality.psnr(black, black)).isInfinite();
    }

    @Test
    void ssimOfIdenticalImagesIsOne() {
        RgbImage image = TestImages.receiptHeader(32);

        assertThat(ImageQuality.ssim(image, image)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void ssimOfFlatImagesFollowsLuminanceTerm() {
        float[][] dark = new float[12][12];
        float[][] light = new float[12][12];
        for (int y = 0; y < 12; y++) {
            java.util.Arrays.fill(dark[y], 0.2f);
            java.util.Arrays.fill(light[y], 0.4f);
        }

        // No variance, so SSIM = (2 * 0.2 * 0.4 + C1) / (0.2^2 + 0.4^2 + C1) with C1 = 1e-4.
        double expected = (2 * 0.2 * 0.4 + 1e-4) / (0.04 + 0.16 + 1e-4);
        assertThat(ImageQuality.ssim(TestImages.grey(dark), TestImages.grey(light))).isCloseTo(expected, within(1e-6));
    }

    @Test
    void ssimDropsWithNoise() {
        RgbImage image = TestImages.receiptHeader(32);
        float[] noisy = image.data().clone();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] = Math.min(1f, Math.max(0f, noisy[i] + (float) random.nextGaussian() * 0.2f));
        }

        assertThat(ImageQuality.ssim(image, new RgbImage(image.width(), image.height(), noisy))).isLessThan(0.8);
    }
}
