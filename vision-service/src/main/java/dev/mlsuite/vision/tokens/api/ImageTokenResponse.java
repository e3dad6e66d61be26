package dev.mlsuite.vision.tokens.api;

import java.time.Instant;
import java.util.List;

/**
 * Body of {@code POST /v1/image-tokens} and {@code GET /v1/image-tokens/{id}}. Token coordinates
 * are in pixels of the processed (downscaled) image of {@code width x height}, with the origin
 * at the top-left corner and pixel {@code (x, y)} centred at {@code (x + 0.5, y + 0.5)}.
 *
 * <p>{@code psnr} and {@code initialPsnr} are in dB, and {@code null} when the reconstruction
 * equals the processed image exactly. The mean squared error is then 0 and the PSNR infinite,
 * which a JSON number cannot express.
 */
public record ImageTokenResponse(
        String id,
        Instant createdAt,
        int width,
        int height,
        int originalWidth,
        int originalHeight,
        int tokenCount,
        Double psnr,
        double ssim,
        Double initialPsnr,
        double initialSsim,
        Refinement refinement,
        Timings timings,
        List<Token> tokens,
        Links links) {

    /** Returns {@code psnrDecibels}, or {@code null} where it is infinite (an exact reconstruction). */
    static Double finitePsnr(double psnrDecibels) {
        return Double.isInfinite(psnrDecibels) ? null : psnrDecibels;
    }

    /**
     * One token: the Gaussian and its texture of nine values, mean red, green and blue, then the
     * change of each channel per standard deviation along x, then along y.
     */
    public record Token(double muX, double muY, double sigmaX, double sigmaY, double rho, float[] features) {
    }

    /** Adam refinement: steps requested and run, and the mean squared error before and after. */
    public record Refinement(int stepsRequested, int stepsRun, boolean timeLimitReached, double initialLoss,
            double finalLoss) {
    }

    /** Wall-clock milliseconds per stage; {@code totalMillis} also covers PNG encoding. */
    public record Timings(long decodeMillis, long initialisationMillis, long refinementMillis, long renderingMillis,
            long metricsMillis, long totalMillis) {
    }

    /** Absolute links to this result and its images. */
    public record Links(String self, String reconstruction, String overlay) {
    }
}
