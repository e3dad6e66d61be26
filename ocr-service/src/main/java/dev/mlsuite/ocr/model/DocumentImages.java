package dev.mlsuite.ocr.model;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Converts page images into the model's grayscale pixel input. */
public final class DocumentImages {

    private DocumentImages() {
    }

    /**
     * Resizes {@code image} to {@code width x height}, ignoring its aspect ratio, converts it to
     * grayscale and returns row-major values in {@code [-1, 1]}, white paper near 1.
     */
    public static float[] toPixels(BufferedImage image, int width, int height) {
        BufferedImage current = image;
        // Halve in steps first, because one bilinear step from a much larger page skips most pixels.
        while (current.getWidth() >= 2 * width && current.getHeight() >= 2 * height) {
            current = scale(current, current.getWidth() / 2, current.getHeight() / 2);
        }
        BufferedImage resized = scale(current, width, height);

        float[] pixels = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = resized.getRGB(x, y);
                float gray = 0.299f * ((rgb >> 16) & 0xff) + 0.587f * ((rgb >> 8) & 0xff) + 0.114f * (rgb & 0xff);
                pixels[y * width + x] = gray / 127.5f - 1f;
            }
        }
        return pixels;
    }

    private static BufferedImage scale(BufferedImage source, int width, int height) {
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = target.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.drawImage(source, 0, 0, width, height, null);
        } finally {
            graphics.dispose();
        }
        return target;
    }
}
