package dev.mlsuite.vision.tokens;

import java.util.List;

/**
 * The outcome of turning one image into tokens.
 *
 * @param tokens             refined tokens, coordinates in pixels of the processed image
 * @param reconstruction     the refined tokens rendered at the image size, clamped to {@code [0, 1]}
 * @param initialPsnr        PSNR in dB of the fitted tokens before refinement
 * @param initialSsim        SSIM of the fitted tokens before refinement
 * @param psnr               PSNR in dB of {@code reconstruction}
 * @param ssim               SSIM of {@code reconstruction}
 * @param refinement         steps, losses and whether the time limit stopped the refinement
 * @param timings            wall-clock time of each stage
 */
public record Tokenization(List<GaussianToken> tokens, RgbImage reconstruction, double initialPsnr,
        double initialSsim, double psnr, double ssim, TokenRefiner.Result refinement, Timings timings) {

    /**
     * Wall-clock milliseconds per stage.
     *
     * @param initialisationMillis partition (or grid) and Gaussian fit
     * @param refinementMillis     gradient descent
     * @param renderingMillis      rendering the initial and the refined tokens
     * @param metricsMillis        PSNR and SSIM of both
     */
    public record Timings(long initialisationMillis, long refinementMillis, long renderingMillis,
            long metricsMillis) {

        public long totalMillis() {
            return initialisationMillis + refinementMillis + renderingMillis + metricsMillis;
        }
    }
}
