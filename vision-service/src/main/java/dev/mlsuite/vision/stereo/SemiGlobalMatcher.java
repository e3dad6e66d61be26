package dev.mlsuite.vision.stereo;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Semi-global matching (Hirschmüller, 2008) with a census-transform cost: the Hamming distance
 * between census descriptors forms the cost volume, which is aggregated along 8 scanline
 * directions with penalties P1 (one-pixel disparity change) and P2 (larger change). The winning
 * disparity per pixel is refined to sub-pixel precision by an equiangular line fit, checked for uniqueness
 * and left-right consistency, and then median- and speckle-filtered.
 */
public final class SemiGlobalMatcher implements StereoMatcher {

    private static final int[][] DIRECTIONS = {
        {1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {-1, -1}, {1, -1}, {-1, 1}
    };

    private final SgmParameters parameters;
    private final ForkJoinPool pool;

    public SemiGlobalMatcher(SgmParameters parameters, ForkJoinPool pool) {
        this.parameters = parameters;
        this.pool = pool;
    }

    public SgmParameters parameters() {
        return parameters;
    }

    @Override
    public DisparityMap match(GrayImage left, GrayImage right, int minDisparity, int disparityCount) {
        if (left.width() != right.width() || left.height() != right.height()) {
            throw new IllegalArgumentException("Stereo images differ in size: " + left.width() + "x" + left.height()
                    + " and " + right.width() + "x" + right.height());
        }
        if (disparityCount < 2 || minDisparity < 0) {
            throw new IllegalArgumentException("Need minDisparity >= 0 and disparityCount >= 2, got " + minDisparity
                    + " and " + disparityCount);
        }
        int width = left.width();
        int height = left.height();
        long[] censusLeft = CensusTransform.compute(left, parameters.censusRadius(), pool);
        long[] censusRight = CensusTransform.compute(right, parameters.censusRadius(), pool);
        int bits = CensusTransform.bitCount(parameters.censusRadius());

        byte[] cost = costVolume(censusLeft, censusRight, width, height, minDisparity, disparityCount, bits);
        short[] aggregated = aggregate(cost, width, height, disparityCount);

        float[] leftDisparity = selectLeft(aggregated, width, height, minDisparity, disparityCount);
        int[] rightDisparity = selectRight(aggregated, width, height, minDisparity, disparityCount);
        checkLeftRight(leftDisparity, rightDisparity, width, height);

        float[] filtered = DisparityFilters.median(leftDisparity, width, height, parameters.medianRadius());
        DisparityFilters.removeSpeckles(filtered, width, height, parameters.speckleWindowSize(),
                (float) parameters.speckleRange());
        return new DisparityMap(width, height, filtered);
    }

    /** Returns the Hamming distances {@code [height, width, disparityCount]}; out-of-image matches cost the maximum. */
    private byte[] costVolume(long[] censusLeft, long[] censusRight, int width, int height, int minDisparity,
            int disparityCount, int bits) {
        byte[] cost = new byte[width * height * disparityCount];
        pool.submit(() -> IntStream.range(0, height).parallel().forEach(y -> {
            for (int x = 0; x < width; x++) {
                long descriptor = censusLeft[y * width + x];
                int base = (y * width + x) * disparityCount;
                for (int k = 0; k < disparityCount; k++) {
                    int xr = x - minDisparity - k;
                    cost[base + k] = (byte) (xr >= 0
                            ? Long.bitCount(descriptor ^ censusRight[y * width + xr])
                            : bits);
                }
            }
        })).join();
        return cost;
    }

    /** Sums the path costs of all 8 directions; each direction's scanlines run in parallel. */
    private short[] aggregate(byte[] cost, int width, int height, int disparityCount) {
        short[] sum = new short[cost.length];
        for (int[] direction : DIRECTIONS) {
            int[] starts = pathStarts(direction[0], direction[1], width, height);
            int dx = direction[0];
            int dy = direction[1];
            pool.submit(() -> IntStream.range(0, starts.length).parallel().forEach(s -> {
                int x = starts[s] % width;
                int y = starts[s] / width;
                aggregatePath(cost, sum, x, y, dx, dy, width, height, disparityCount);
            })).join();
        }
        return sum;
    }

    /** Returns the pixels whose predecessor along (dx, dy) lies outside the image. */
    private static int[] pathStarts(int dx, int dy, int width, int height) {
        int count = 0;
        int[] starts = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int px = x - dx;
                int py = y - dy;
                if (px < 0 || py < 0 || px >= width || py >= height) {
                    starts[count++] = y * width + x;
                }
            }
        }
        return java.util.Arrays.copyOf(starts, count);
    }

    private void aggregatePath(byte[] cost, short[] sum, int x, int y, int dx, int dy, int width, int height,
            int disparityCount) {
        int p1 = parameters.p1();
        int p2 = parameters.p2();
        int[] previous = new int[disparityCount];
        int[] current = new int[disparityCount];

        int base = (y * width + x) * disparityCount;
        int minPrevious = Integer.MAX_VALUE;
        for (int k = 0; k < disparityCount; k++) {
            previous[k] = cost[base + k];
            sum[base + k] += (short) previous[k];
            minPrevious = Math.min(minPrevious, previous[k]);
        }
        x += dx;
        y += dy;

        while (x >= 0 && y >= 0 && x < width && y < height) {
            base = (y * width + x) * disparityCount;
            int minCurrent = Integer.MAX_VALUE;
            int jump = minPrevious + p2;
            for (int k = 0; k < disparityCount; k++) {
                int best = Math.min(previous[k], jump);
                if (k > 0) {
                    best = Math.min(best, previous[k - 1] + p1);
                }
                if (k < disparityCount - 1) {
                    best = Math.min(best, previous[k + 1] + p1);
                }
                int value = cost[base + k] + best - minPrevious;
                current[k] = value;
                sum[base + k] += (short) value;
                minCurrent = Math.min(minCurrent, value);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
            minPrevious = minCurrent;
            x += dx;
            y += dy;
        }
    }

    /** Picks the winner per left pixel, applies the uniqueness test and refines it by a parabola fit. */
    private float[] selectLeft(short[] aggregated, int width, int height, int minDisparity, int disparityCount) {
        float[] disparity = new float[width * height];
        double uniqueness = parameters.uniquenessRatio();
        pool.submit(() -> IntStream.range(0, height).parallel().forEach(y -> {
            for (int x = 0; x < width; x++) {
                int base = (y * width + x) * disparityCount;
                int best = 0;
                for (int k = 1; k < disparityCount; k++) {
                    if (aggregated[base + k] < aggregated[base + best]) {
                        best = k;
                    }
                }
                int bestCost = aggregated[base + best];
                boolean unique = true;
                if (uniqueness > 0) {
                    for (int k = 0; k < disparityCount && unique; k++) {
                        if (Math.abs(k - best) > 1 && aggregated[base + k] * (1 - uniqueness) < bestCost) {
                            unique = false;
                        }
                    }
                }
                double d = minDisparity + best;
                if (!unique || x - d < 0) {
                    disparity[y * width + x] = Float.NaN;
                    continue;
                }
                if (best > 0 && best < disparityCount - 1) {
                    int before = aggregated[base + best - 1];
                    int after = aggregated[base + best + 1];
                    // Equiangular (V-shaped) fit: it suits the roughly linear census cost near its
                    // minimum and shows less pull towards integers than a parabola.
                    int rise = Math.max(before, after) - bestCost;
                    if (rise > 0) {
                        d += 0.5 * (before - after) / rise;
                    }
                }
                disparity[y * width + x] = (float) d;
            }
        })).join();
        return disparity;
    }

    /** Picks the integer winner per right pixel from the same aggregated volume, or -1 where none exists. */
    private int[] selectRight(short[] aggregated, int width, int height, int minDisparity, int disparityCount) {
        int[] disparity = new int[width * height];
        pool.submit(() -> IntStream.range(0, height).parallel().forEach(y -> {
            for (int xr = 0; xr < width; xr++) {
                int best = -1;
                int bestCost = Integer.MAX_VALUE;
                for (int k = 0; k < disparityCount; k++) {
                    int xl = xr + minDisparity + k;
                    if (xl >= width) {
                        break;
                    }
                    int value = aggregated[(y * width + xl) * disparityCount + k];
                    if (value < bestCost) {
                        bestCost = value;
                        best = k;
                    }
                }
                disparity[y * width + xr] = best < 0 ? -1 : minDisparity + best;
            }
        })).join();
        return disparity;
    }

    private void checkLeftRight(float[] left, int[] right, int width, int height) {
        double maxDifference = parameters.maxLeftRightDifference();
        if (maxDifference < 0) {
            return;
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                float d = left[i];
                if (Float.isNaN(d)) {
                    continue;
                }
                int xr = (int) Math.round(x - d);
                if (xr < 0 || xr >= width || right[y * width + xr] < 0
                        || Math.abs(right[y * width + xr] - d) > maxDifference) {
                    left[i] = Float.NaN;
                }
            }
        }
    }
}
