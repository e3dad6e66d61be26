package dev.mlsuite.vision.mesh;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;

import javax.imageio.ImageIO;

/** Encodes RGB float images as PNG. */
public final class PreviewImages {

    private PreviewImages() {
    }

    /** Writes interleaved RGB in [0, 1] as an 8-bit PNG without gamma conversion; splat colours are display values. */
    public static void writePng(float[] rgb, int width, int height, OutputStream out) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = 3 * (y * width + x);
                image.setRGB(x, y, (toByte(rgb[i]) << 16) | (toByte(rgb[i + 1]) << 8) | toByte(rgb[i + 2]));
            }
        }
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("No PNG writer is available in this Java runtime");
        }
    }

    private static int toByte(float value) {
        double clamped = Math.max(0, Math.min(1, value));
        return (int) Math.round(clamped * 255);
    }
}
