package dev.mlsuite.vision.action;

import java.util.List;

/** The person detector's output on one sampled frame, before tracking. */
public record FrameDetections(int frameIndex, double timeSeconds, List<Detection> detections) {
}
