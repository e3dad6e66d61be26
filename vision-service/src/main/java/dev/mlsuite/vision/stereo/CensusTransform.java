package dev.mlsuite.vision.stereo;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Census transform: one bit per neighbour in a square window, set when the neighbour is darker
 * than the centre pixel. Neighbours outside the image are clamped to the border.
 */
final class CensusTransform {

    private CensusTransform() {
    }

    static int bitCount(int radius) {
        int side = 2 * radius + 1;
        return side * side - 1;
    }

    static long[] compute(GrayImage image, int radius, ForkJoinPool pool) {
        int width = image.width();
        int height = image.height();
        float[] pixels = image.pixels();
        long[] census = new long[width * height];
        pool.submit(() -> IntStream.range(0, height).parallel().forEach(y -> {
            for (int x = 0; x < width; x++) {
                float centre = pixels[y * width + x];
                long bits = 0;
                for (int v = -radius; v <= radius; v++) {
                    int yy = Math.max(0, Math.min(height - 1, y + v));
                    for (int u = -radius; u <= radius; u++) {
                        if (u == 0 && v == 0) {
                            continue;
                        }
                        int xx = Math.max(0, Math.min(width - 1, x + u));
                        bits = (bits << 1) | (pixels[yy * width + xx] < centre ? 1L : 0L);
                    }
                }
                census[y * width + x] = bits;
            }
        })).join();
        return census;
    }
}
