package dev.mlsuite.vision.tokens.api;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits and defaults of {@code POST /v1/image-tokens}, under {@code vision.image-tokens}.
 *
 * <p>The renderer evaluates every token at every pixel, so memory and time grow with
 * {@code processedMaxSide^2 * maxTokens}.
 *
 * @param maxUploadSize        largest accepted upload; larger ones get 413
 * @param maxInputPixels       largest accepted decoded image, width times height, checked before decoding
 * @param processedMaxSide     images are downscaled so that their longer side is at most this many pixels
 *                             before tokenization; token coordinates refer to the downscaled image
 * @param minTokens            smallest accepted token count
 * @param maxTokens            largest accepted token count
 * @param defaultSteps         refinement steps when the request names none
 * @param maxSteps             largest accepted number of refinement steps
 * @param refinementTimeLimit  refinement stops after this time even if steps remain
 * @param supportSigmas        a token contributes to pixels within this many standard deviations
 */
@ConfigurationProperties("vision.image-tokens")
public record ImageTokenProperties(
        @DefaultValue("8MB") DataSize maxUploadSize,
        @DefaultValue("40000000") long maxInputPixels,
        @DefaultValue("128") int processedMaxSide,
        @DefaultValue("1") int minTokens,
        @DefaultValue("512") int maxTokens,
        @DefaultValue("50") int defaultSteps,
        @DefaultValue("1000") int maxSteps,
        @DefaultValue("60s") Duration refinementTimeLimit,
        @DefaultValue("3.0") double supportSigmas) {

    public ImageTokenProperties {
        requirePositive("max-upload-size", maxUploadSize.toBytes());
        requirePositive("max-input-pixels", maxInputPixels);
        requirePositive("processed-max-side", processedMaxSide);
        requirePositive("min-tokens", minTokens);
        if (maxTokens < minTokens) {
            throw new IllegalArgumentException("vision.image-tokens.max-tokens (" + maxTokens
                    + ") must not be below min-tokens (" + minTokens + ")");
        }
        if (defaultSteps < 0 || defaultSteps > maxSteps) {
            throw new IllegalArgumentException("vision.image-tokens.default-steps must be between 0 and max-steps ("
                    + maxSteps + "), got " + defaultSteps);
        }
        if (refinementTimeLimit.isNegative()) {
            throw new IllegalArgumentException("vision.image-tokens.refinement-time-limit must not be negative, got "
                    + refinementTimeLimit);
        }
        requirePositive("support-sigmas", supportSigmas);
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException("vision.image-tokens." + name + " must be positive, got " + value);
        }
    }
}
