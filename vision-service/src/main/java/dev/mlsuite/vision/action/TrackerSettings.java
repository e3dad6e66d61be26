package dev.mlsuite.vision.action;

/**
 * Settings of {@link SortTracker}. Frame counts are in sampled frames, not decoded frames.
 *
 * @param iouThreshold     minimum overlap between a track's predicted box and a detection for them to match
 * @param maxMissedFrames  sampled frames a track may go without a detection before it ends. Gaps up to
 *                         this length are bridged by interpolation when the person is detected again
 * @param minDetections    tracks with fewer detected boxes than this are dropped as spurious
 */
public record TrackerSettings(double iouThreshold, int maxMissedFrames, int minDetections) {

    public static final double DEFAULT_IOU_THRESHOLD = 0.2;
    public static final int DEFAULT_MAX_MISSED_FRAMES = 6;
    public static final int DEFAULT_MIN_DETECTIONS = 2;

    public TrackerSettings {
        if (!(iouThreshold > 0 && iouThreshold <= 1)) {
            throw new IllegalArgumentException("iouThreshold must be in (0, 1], got " + iouThreshold);
        }
        if (maxMissedFrames < 0) {
            throw new IllegalArgumentException("maxMissedFrames must be at least 0, got " + maxMissedFrames);
        }
        if (minDetections < 1) {
            throw new IllegalArgumentException("minDetections must be at least 1, got " + minDetections);
        }
    }

    public static TrackerSettings defaults() {
        return new TrackerSettings(DEFAULT_IOU_THRESHOLD, DEFAULT_MAX_MISSED_FRAMES, DEFAULT_MIN_DETECTIONS);
    }
}
