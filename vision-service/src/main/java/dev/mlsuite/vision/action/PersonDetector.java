package dev.mlsuite.vision.action;

import java.util.List;

/**
 * Finds people in one frame. Implementations must be safe to call from several threads, because
 * concurrent jobs share one detector bean.
 */
public interface PersonDetector {

    /** Returns the person boxes of {@code frame} after non-maximum suppression, in frame pixels. */
    List<Detection> detect(VideoFrame frame);

    /** Short identifier of the detector and its model, reported in the capabilities of each result. */
    String name();

    /** Meaning and range of {@link Detection#score()} for this detector. */
    String scoreDescription();
}
