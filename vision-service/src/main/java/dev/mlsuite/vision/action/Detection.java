package dev.mlsuite.vision.action;

/**
 * An axis-aligned person box in frame pixels, with the detector's confidence.
 *
 * @param x      left edge, pixels from the left of the frame
 * @param y      top edge, pixels from the top of the frame
 * @param width  width in pixels
 * @param height height in pixels
 * @param score  detector confidence; its scale depends on the detector (see {@link PersonDetector#scoreDescription()})
 */
public record Detection(double x, double y, double width, double height, double score) {

    public double area() {
        return Math.max(0, width) * Math.max(0, height);
    }

    /** Returns the intersection over union of the two boxes, 0 when they do not overlap. */
    public double iou(Detection other) {
        double left = Math.max(x, other.x);
        double top = Math.max(y, other.y);
        double right = Math.min(x + width, other.x + other.width);
        double bottom = Math.min(y + height, other.y + other.height);
        double intersection = Math.max(0, right - left) * Math.max(0, bottom - top);
        double union = area() + other.area() - intersection;
        return union > 0 ? intersection / union : 0;
    }

    /** Returns this box cut to the frame {@code [0, frameWidth] x [0, frameHeight]}. */
    public Detection clippedTo(int frameWidth, int frameHeight) {
        double left = Math.max(0, x);
        double top = Math.max(0, y);
        double right = Math.min(frameWidth, x + width);
        double bottom = Math.min(frameHeight, y + height);
        return new Detection(left, top, Math.max(0, right - left), Math.max(0, bottom - top), score);
    }
}
