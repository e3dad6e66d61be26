package dev.mlsuite.vision.action;

import java.util.List;
import java.util.Set;

/**
 * Parameters of one action-detection run.
 *
 * @param sampleFps           frames per second of video time to decode and analyse
 * @param labels              action labels to score per person
 * @param previewFrames       number of frames, spread evenly over the video, in the preview image
 * @param previewFrameIndices exact frames for the preview; when not empty it replaces {@code previewFrames}
 */
public record ActionDetectionRequest(double sampleFps, List<String> labels, int previewFrames,
        Set<Integer> previewFrameIndices) {

    public ActionDetectionRequest {
        labels = List.copyOf(labels);
        previewFrameIndices = Set.copyOf(previewFrameIndices);
        if (previewFrames < 1) {
            throw new IllegalArgumentException("previewFrames must be at least 1, got " + previewFrames);
        }
    }
}
