package dev.mlsuite.vision.action;

/**
 * A person's box on one sampled frame of a tube.
 *
 * @param frameIndex   index of the frame among all decoded frames
 * @param timeSeconds  presentation time of the frame
 * @param box          the box in frame pixels; its score is the detector's, or 0 when interpolated
 * @param interpolated true when the detector missed the person on this frame and the box was
 *                     interpolated between the detections on both sides of the gap
 */
public record TubeBox(int frameIndex, double timeSeconds, Detection box, boolean interpolated) {
}
