package dev.mlsuite.vision.tokens.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /v1/image-tokens} and {@code GET /v1/image-tokens/{id}}. Token coordinates
 * are in pixels of the processed (downscaled) image of {@code width x height}, with the origin
 * at the top-left corner and pixel {@code (x, y)} centred at {@code (x + 0.5, y + 0.5)}.
 */
public record ImageTokenResponse(
        String id,
        @JsonProperty("created_at") Instant createdAt,
        int width,
        int height,
        @JsonProperty("original_width") int originalWidth,
        @JsonProperty("original_height") int originalHeight,
        @JsonProperty("token_count") int tokenCount,
        double psnr,
        double ssim,
        @JsonProperty("initial_psnr") double initialPsnr,
        @JsonProperty("initial_ssim") double initialSsim,
        Refinement refinement,
        @JsonProperty("timings_ms") Timings timingsMillis,
        List<Token> tokens,
        Links links) {

    /**
     * One token: the Gaussian and its texture of nine values, mean red, green and blue, then the
     * change of each channel per standard deviation along x, then along y.
     */
    public record Token(
            @JsonProperty("mu_x") double muX,
            @JsonProperty("mu_y") double muY,
            @JsonProperty("sigma_x") double sigmaX,
            @JsonProperty("sigma_y") double sigmaY,
            double rho,
            float[] features) {
    }

    /** Adam refinement: steps requested and run, and the mean squared error before and after. */
    public record Refinement(
            @JsonProperty("steps_requested") int stepsRequested,
            @JsonProperty("steps_run") int stepsRun,
            @JsonProperty("time_limit_reached") boolean timeLimitReached,
            @JsonProperty("initial_loss") double initialLoss,
            @JsonProperty("final_loss") double finalLoss) {
    }

    /** Wall-clock milliseconds per stage; {@code total} also covers PNG encoding. */
    public record Timings(long decode, long initialisation, long refinement, long rendering, long metrics,
            long total) {
    }

    /** Absolute links to this result and its images. */
    public record Links(@JsonProperty("self") String self, String reconstruction, String overlay) {
    }
}
