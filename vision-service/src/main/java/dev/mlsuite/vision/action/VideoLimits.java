package dev.mlsuite.vision.action;

/**
 * Limits that {@link VideoDecoder} enforces on every upload before and while it decodes.
 *
 * @param maxFileBytes     largest accepted file, in bytes
 * @param maxDurationSeconds longest accepted clip, in seconds of presentation time
 * @param maxWidth         largest accepted frame width, in pixels
 * @param maxHeight        largest accepted frame height, in pixels
 * @param maxSampledFrames most frames one request may sample; bounds memory and detector time
 */
public record VideoLimits(long maxFileBytes, double maxDurationSeconds, int maxWidth, int maxHeight,
        int maxSampledFrames) {

    public static final long DEFAULT_MAX_FILE_BYTES = 100L * 1024 * 1024;
    public static final double DEFAULT_MAX_DURATION_SECONDS = 120;
    public static final int DEFAULT_MAX_WIDTH = 1920;
    public static final int DEFAULT_MAX_HEIGHT = 1080;
    public static final int DEFAULT_MAX_SAMPLED_FRAMES = 600;

    public VideoLimits {
        requirePositive("maxFileBytes", maxFileBytes);
        requirePositive("maxDurationSeconds", maxDurationSeconds);
        requirePositive("maxWidth", maxWidth);
        requirePositive("maxHeight", maxHeight);
        requirePositive("maxSampledFrames", maxSampledFrames);
    }

    public static VideoLimits defaults() {
        return new VideoLimits(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_DURATION_SECONDS, DEFAULT_MAX_WIDTH,
                DEFAULT_MAX_HEIGHT, DEFAULT_MAX_SAMPLED_FRAMES);
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
