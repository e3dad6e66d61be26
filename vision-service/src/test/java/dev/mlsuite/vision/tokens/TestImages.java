package dev.mlsuite.vision.tokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/** Images the token tests share: hand-made ones and a crop of a real receipt in {@code samples/images}. */
final class TestImages {

    /** Relative to the vision-service module, where Maven runs the tests. */
    static final Path RECEIPT = Path.of("..", "samples", "images", "sroie-019.jpg");

    private TestImages() {
    }

    /** Returns the printed header of the receipt (a 320x320 crop at (40, 80)), downscaled to {@code side} pixels. */
    static RgbImage receiptHeader(int side) {
        if (!Files.isRegularFile(RECEIPT)) {
            throw new IllegalStateException("Sample receipt missing at " + RECEIPT.toAbsolutePath());
        }
        try {
            return RgbImage.fromBufferedImage(ImageIO.read(RECEIPT.toFile())).crop(40, 80, 320, 320).fitWithin(side);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns a grey image where {@code luma[y][x]} sets each pixel's three channels. */
    static RgbImage grey(float[][] luma) {
        int height = luma.length;
        int width = luma[0].length;
        float[] data = new float[width * height * RgbImage.CHANNELS];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < RgbImage.CHANNELS; c++) {
                    data[(y * width + x) * RgbImage.CHANNELS + c] = luma[y][x];
                }
            }
        }
        return new RgbImage(width, height, data);
    }

    /**
     * Returns an 8x4 image: the left half has black even columns and white odd columns, the right
     * half is grey 0.5.
     */
    static RgbImage stripesAndGrey() {
        float[][] luma = new float[4][8];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 8; x++) {
                luma[y][x] = x < 4 ? x % 2 : 0.5f;
            }
        }
        return grey(luma);
    }
}
