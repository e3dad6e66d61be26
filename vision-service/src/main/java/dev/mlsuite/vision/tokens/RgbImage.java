package dev.mlsuite.vision.tokens;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;

/**
 * An RGB image as floats in {@code [0, 1]}, stored row by row with three channels per pixel
 * ({@code [height, width, 3]}). Pixel {@code (x, y)} covers the unit square whose centre is
 * {@code (x + 0.5, y + 0.5)}.
 */
public record RgbImage(int width, int height, float[] data) {

    public static final int CHANNELS = 3;

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("Image size must be positive, got " + width + "x" + height);
        }
        if (data.length != (long) width * height * CHANNELS) {
            throw new IllegalArgumentException("Expected " + (long) width * height * CHANNELS + " values for a "
                    + width + "x" + height + " RGB image, got " + data.length);
        }
    }

    /** Converts an AWT image, compositing any transparency over white. */
    public static RgbImage fromBufferedImage(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        BufferedImage rgb = toOpaqueRgb(image);

        float[] data = new float[width * height * CHANNELS];
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            rgb.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                int offset = (y * width + x) * CHANNELS;
                data[offset] = ((row[x] >> 16) & 0xff) / 255f;
                data[offset + 1] = ((row[x] >> 8) & 0xff) / 255f;
                data[offset + 2] = (row[x] & 0xff) / 255f;
            }
        }
        return new RgbImage(width, height, data);
    }

    /** Converts to an 8-bit AWT image, clamping values to {@code [0, 1]} and rounding. */
    public BufferedImage toBufferedImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int offset = (y * width + x) * CHANNELS;
                row[x] = (toByte(data[offset]) << 16) | (toByte(data[offset + 1]) << 8) | toByte(data[offset + 2]);
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    public float get(int x, int y, int channel) {
        return data[(y * width + x) * CHANNELS + channel];
    }

    /** Returns the Rec. 601 luma of a pixel, in {@code [0, 1]}. */
    public float luma(int x, int y) {
        int offset = (y * width + x) * CHANNELS;
        return 0.299f * data[offset] + 0.587f * data[offset + 1] + 0.114f * data[offset + 2];
    }

    public int pixelCount() {
        return width * height;
    }

    /** Copies the rectangle with top-left corner {@code (x0, y0)}. */
    public RgbImage crop(int x0, int y0, int cropWidth, int cropHeight) {
        if (x0 < 0 || y0 < 0 || cropWidth <= 0 || cropHeight <= 0 || x0 + cropWidth > width
                || y0 + cropHeight > height) {
            throw new IllegalArgumentException("Crop " + cropWidth + "x" + cropHeight + " at (" + x0 + ", " + y0
                    + ") does not fit in a " + width + "x" + height + " image");
        }
        float[] cropped = new float[cropWidth * cropHeight * CHANNELS];
        for (int y = 0; y < cropHeight; y++) {
            System.arraycopy(data, ((y0 + y) * width + x0) * CHANNELS, cropped, y * cropWidth * CHANNELS,
                    cropWidth * CHANNELS);
        }
        return new RgbImage(cropWidth, cropHeight, cropped);
    }

    /**
     * Downscales with area averaging so that the longer side is at most {@code maxSide} pixels,
     * keeping the aspect ratio; returns this image when it already fits.
     */
    public RgbImage fitWithin(int maxSide) {
        if (maxSide <= 0) {
            throw new IllegalArgumentException("maxSide must be positive, got " + maxSide);
        }
        if (width <= maxSide && height <= maxSide) {
            return this;
        }

        double scale = (double) maxSide / Math.max(width, height);
        int scaledWidth = Math.max(1, (int) Math.round(width * scale));
        int scaledHeight = Math.max(1, (int) Math.round(height * scale));
        Image scaled = toBufferedImage().getScaledInstance(scaledWidth, scaledHeight, Image.SCALE_AREA_AVERAGING);

        BufferedImage target = new BufferedImage(scaledWidth, scaledHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = target.createGraphics();
        try {
            graphics.drawImage(scaled, 0, 0, null);
        } finally {
            graphics.dispose();
        }
        return fromBufferedImage(target);
    }

    private static BufferedImage toOpaqueRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = rgb.createGraphics();
        try {
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
            graphics.drawImage(image, 0, 0, null);
        } finally {
            graphics.dispose();
        }
        return rgb;
    }

    private static int toByte(float value) {
        return Math.round(Math.min(1f, Math.max(0f, value)) * 255f);
    }
}
