package dev.mlsuite.vision.action;

import java.util.List;

/**
 * Settings of {@link HogPersonDetector}.
 *
 * @param upscaleFactors   each frame is searched once per factor, resized by it; factors above 1 find people
 *                         shorter than the detector's 128-pixel window
 * @param windowStride     step of the sliding window, in pixels of the resized frame
 * @param padding          padding added around the frame before the search, in pixels
 * @param pyramidScale     ratio between successive image-pyramid levels, above 1
 * @param hitThreshold     SVM margin a window must exceed to count as a hit
 * @param groupThreshold   OpenCV's {@code finalThreshold}: windows that must overlap for a grouped detection;
 *                         0 turns grouping off
 * @param minScore         boxes whose SVM margin is below this are dropped after grouping
 * @param nmsIouThreshold  overlap above which the weaker of two boxes is removed
 */
public record HogSettings(List<Double> upscaleFactors, int windowStride, int padding, double pyramidScale,
        double hitThreshold, int groupThreshold, double minScore, double nmsIouThreshold) {

    public static final List<Double> DEFAULT_UPSCALE_FACTORS = List.of(1.0, 2.0);
    public static final int DEFAULT_WINDOW_STRIDE = 8;
    public static final int DEFAULT_PADDING = 8;
    public static final double DEFAULT_PYRAMID_SCALE = 1.05;
    public static final double DEFAULT_HIT_THRESHOLD = 0;
    public static final int DEFAULT_GROUP_THRESHOLD = 2;
    public static final double DEFAULT_MIN_SCORE = 0.3;
    public static final double DEFAULT_NMS_IOU_THRESHOLD = 0.4;

    public HogSettings {
        upscaleFactors = List.copyOf(upscaleFactors);
        if (upscaleFactors.isEmpty()) {
            throw new IllegalArgumentException("upscaleFactors must contain at least one factor");
        }
        for (double factor : upscaleFactors) {
            if (!(factor > 0 && factor <= 4)) {
                throw new IllegalArgumentException("each upscale factor must be in (0, 4], got " + factor);
            }
        }
        if (windowStride < 1 || padding < 0) {
            throw new IllegalArgumentException("windowStride must be at least 1 and padding at least 0, got "
                    + windowStride + " and " + padding);
        }
        if (!(pyramidScale > 1)) {
            throw new IllegalArgumentException("pyramidScale must be above 1, got " + pyramidScale);
        }
        if (groupThreshold < 0) {
            throw new IllegalArgumentException("groupThreshold must be at least 0, got " + groupThreshold);
        }
        if (!(nmsIouThreshold > 0 && nmsIouThreshold <= 1)) {
            throw new IllegalArgumentException("nmsIouThreshold must be in (0, 1], got " + nmsIouThreshold);
        }
    }

    public static HogSettings defaults() {
        return new HogSettings(DEFAULT_UPSCALE_FACTORS, DEFAULT_WINDOW_STRIDE, DEFAULT_PADDING, DEFAULT_PYRAMID_SCALE,
                DEFAULT_HIT_THRESHOLD, DEFAULT_GROUP_THRESHOLD, DEFAULT_MIN_SCORE, DEFAULT_NMS_IOU_THRESHOLD);
    }
}
