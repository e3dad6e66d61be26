package dev.mlsuite.vision.tokens;

/** An axis-aligned rectangle of pixels: columns {@code [x0, x0 + width)}, rows {@code [y0, y0 + height)}. */
public record Region(int x0, int y0, int width, int height) {

    public Region {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("Region size must be positive, got " + width + "x" + height);
        }
    }

    public int pixelCount() {
        return width * height;
    }

    public boolean splittable() {
        return width > 1 || height > 1;
    }

    /**
     * Splits across the longer side at its midpoint, across the width when the sides are equal.
     * When the side is odd, the first half gets the smaller part.
     */
    public Region[] split() {
        if (!splittable()) {
            throw new IllegalStateException("A single pixel cannot be split: " + this);
        }
        if (width >= height) {
            int left = width / 2;
            return new Region[] {new Region(x0, y0, left, height), new Region(x0 + left, y0, width - left, height)};
        }
        int top = height / 2;
        return new Region[] {new Region(x0, y0, width, top), new Region(x0, y0 + top, width, height - top)};
    }
}
