package dev.mlsuite.vision.stereo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SemiGlobalMatcherTest {

    private static final int WIDTH = 160;
    private static final int HEIGHT = 120;
    private static ForkJoinPool pool;

    @BeforeAll
    static void startPool() {
        pool = new ForkJoinPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdown();
    }

    /** A smooth random texture, sampled with bilinear interpolation so that sub-pixel shifts are exact. */
    private static final class Texture {
        private final float[] values;
        private final int width;
        private final int height;

        Texture(int width, int height, long seed) {
            this.width = width;
            this.height = height;
            Random random = new Random(seed);
            float[] noise = new float[width * height];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = random.nextFloat() * 255;
            }
            // A 3-tap blur keeps detail at the pixel scale while making interpolation meaningful.
            values = new float[noise.length];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float sum = 0;
                    for (int d = -1; d <= 1; d++) {
                        sum += noise[y * width + Math.max(0, Math.min(width - 1, x + d))];
                    }
                    values[y * width + x] = sum / 3;
                }
            }
        }

        float at(double x, int y) {
            int x0 = (int) Math.floor(x);
            double t = x - x0;
            int a = Math.max(0, Math.min(width - 1, x0));
            int b = Math.max(0, Math.min(width - 1, x0 + 1));
            return (float) (values[y * width + a] * (1 - t) + values[y * width + b] * t);
        }
    }

    private static boolean inForeground(int x, int y) {
        return x >= 70 && x < 110 && y >= 40 && y < 80;
    }

    @Test
    void recoversTwoDisparityLayers() {
        Texture background = new Texture(WIDTH + 64, HEIGHT, 1);
        Texture foreground = new Texture(WIDTH + 64, HEIGHT, 2);
        int backgroundDisparity = 10;
        int foregroundDisparity = 24;
        float[] left = new float[WIDTH * HEIGHT];
        float[] right = new float[WIDTH * HEIGHT];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                left[y * WIDTH + x] = inForeground(x, y) ? foreground.at(x, y) : background.at(x, y);
                int xInLeftForeground = x + foregroundDisparity;
                right[y * WIDTH + x] = inForeground(xInLeftForeground, y) ? foreground.at(xInLeftForeground, y)
                        : background.at(x + backgroundDisparity, y);
            }
        }

        DisparityMap map = new SemiGlobalMatcher(SgmParameters.DEFAULTS, pool)
                .match(new GrayImage(WIDTH, HEIGHT, left), new GrayImage(WIDTH, HEIGHT, right), 4, 32);

        int foregroundCorrect = 0;
        int foregroundTotal = 0;
        int backgroundCorrect = 0;
        int backgroundTotal = 0;
        int occludedValid = 0;
        for (int y = 5; y < HEIGHT - 5; y++) {
            for (int x = 40; x < WIDTH - 5; x++) {
                float d = map.disparity()[y * WIDTH + x];
                boolean foregroundPixel = inForeground(x, y);
                boolean nearEdge = inForeground(x - 4, y) != foregroundPixel || inForeground(x + 4, y) != foregroundPixel
                        || inForeground(x, y - 4) != foregroundPixel || inForeground(x, y + 4) != foregroundPixel;
                // Background pixels up to 14 px left of the square are hidden behind it in the right view.
                boolean occluded = !foregroundPixel && y >= 40 && y < 80 && x >= 70 - 14 && x < 70;
                if (occluded) {
                    occludedValid += Float.isNaN(d) ? 0 : 1;
                    continue;
                }
                if (nearEdge) {
                    continue;
                }
                if (foregroundPixel) {
                    foregroundTotal++;
                    foregroundCorrect += Math.abs(d - foregroundDisparity) <= 0.5 ? 1 : 0;
                } else {
                    backgroundTotal++;
                    backgroundCorrect += Math.abs(d - backgroundDisparity) <= 0.5 ? 1 : 0;
                }
            }
        }
        assertThat(foregroundCorrect).isGreaterThan((int) (0.95 * foregroundTotal));
        assertThat(backgroundCorrect).isGreaterThan((int) (0.95 * backgroundTotal));
        assertThat(occludedValid).as("occluded pixels that survived the left-right check").isLessThan(14 * 40 / 4);
    }

    @Test
    void refinesFractionalDisparity() {
        Texture texture = new Texture(WIDTH + 64, HEIGHT, 3);
        double disparity = 12.4;
        float[] left = new float[WIDTH * HEIGHT];
        float[] right = new float[WIDTH * HEIGHT];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                left[y * WIDTH + x] = texture.at(x, y);
                right[y * WIDTH + x] = texture.at(x + disparity, y);
            }
        }

        DisparityMap map = new SemiGlobalMatcher(SgmParameters.DEFAULTS, pool)
                .match(new GrayImage(WIDTH, HEIGHT, left), new GrayImage(WIDTH, HEIGHT, right), 0, 32);

        double errorSum = 0;
        int count = 0;
        for (int y = 5; y < HEIGHT - 5; y++) {
            for (int x = 40; x < WIDTH - 5; x++) {
                float d = map.disparity()[y * WIDTH + x];
                if (!Float.isNaN(d)) {
                    errorSum += Math.abs(d - disparity);
                    count++;
                }
            }
        }
        int interior = (HEIGHT - 10) * (WIDTH - 45);
        assertThat(count).isGreaterThan((int) (0.9 * interior));
        assertThat(errorSum / count).as("mean absolute disparity error").isLessThan(0.2);
    }

    @Test
    void speckleFilterRemovesSmallRegions() {
        float[] disparity = new float[20 * 20];
        java.util.Arrays.fill(disparity, 5f);
        disparity[10 * 20 + 10] = 15f;
        disparity[10 * 20 + 11] = 15.5f;

        DisparityFilters.removeSpeckles(disparity, 20, 20, 10, 1f);

        assertThat(disparity[10 * 20 + 10]).isNaN();
        assertThat(disparity[10 * 20 + 11]).isNaN();
        assertThat(disparity[0]).isEqualTo(5f);
    }

    @Test
    void medianFilterIgnoresInvalidNeighbours() {
        float[] disparity = {1, 2, Float.NaN, 4, 100, 6, 7, 8, 9};

        float[] filtered = DisparityFilters.median(disparity, 3, 3, 1);

        assertThat(filtered[4]).isEqualTo(6.5f);
        assertThat(filtered[2]).isNaN();
    }
}
