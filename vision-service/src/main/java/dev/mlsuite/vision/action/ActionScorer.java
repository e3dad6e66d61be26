package dev.mlsuite.vision.action;

import java.util.List;
import java.util.Map;

/**
 * Scores free-text action labels for person tubes, for example a CLIP-based zero-shot model.
 * The pipeline calls {@link #score} only when {@link #capability()} is active, and then keeps
 * every sampled frame of the video in memory for it.
 */
public interface ActionScorer {

    /** Whether this scorer can run, what it runs, and if not, why. */
    Capability capability();

    /** Parts of the scorer by name, each with whether it changes the scores; empty when the scorer has no parts. */
    default Map<String, Capability> components() {
        return Map.of();
    }

    /**
     * Returns one score per label for the tube, ordered by descending score.
     *
     * @param tube   the person's boxes on the sampled frames
     * @param frames every sampled frame of the video, in time order; {@link TubeBox#frameIndex()} refers to them
     * @param labels action labels to score, as the request sent them
     */
    List<ActionScore> score(PersonTube tube, List<VideoFrame> frames, List<String> labels);
}
