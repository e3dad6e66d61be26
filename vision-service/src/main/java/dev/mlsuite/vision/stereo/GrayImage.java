package dev.mlsuite.vision.stereo;

/** A single-channel image; pixel {@code (x, y)} is {@code pixels[y * width + x]}. */
public record GrayImage(int width, int height, float[] pixels) {

    public GrayImage {
        if (width < 1 || height < 1 || pixels.length != width * height) {
            throw new IllegalArgumentException(
                    "Image of " + width + "x" + height + " needs " + width * height + " pixels, got " + pixels.length);
        }
    }
}
