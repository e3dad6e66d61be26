package dev.mlsuite.vision.stereo;

import java.util.Arrays;

/** Post-filters for disparity maps whose invalid pixels are NaN. */
public final class DisparityFilters {

    private DisparityFilters() {
    }

    /**
     * Returns a copy in which every valid pixel is replaced by the median of the valid pixels in
     * its {@code (2 radius + 1)^2} window; invalid pixels stay invalid.
     */
    public static float[] median(float[] disparity, int width, int height, int radius) {
        if (radius == 0) {
            return disparity.clone();
        }
        float[] out = new float[disparity.length];
        float[] window = new float[(2 * radius + 1) * (2 * radius + 1)];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (Float.isNaN(disparity[i])) {
                    out[i] = Float.NaN;
                    continue;
                }
                int count = 0;
                for (int v = Math.max(0, y - radius); v <= Math.min(height - 1, y + radius); v++) {
                    for (int u = Math.max(0, x - radius); u <= Math.min(width - 1, x + radius); u++) {
                        float d = disparity[v * width + u];
                        if (!Float.isNaN(d)) {
                            window[count++] = d;
                        }
                    }
                }
                Arrays.sort(window, 0, count);
                out[i] = count % 2 == 1 ? window[count / 2] : 0.5f * (window[count / 2 - 1] + window[count / 2]);
            }
        }
        return out;
    }

    /**
     * Invalidates, in place, every 4-connected region of fewer than {@code minRegionSize} pixels
     * whose neighbouring disparities differ by at most {@code maxDifference}.
     */
    public static void removeSpeckles(float[] disparity, int width, int height, int minRegionSize,
            float maxDifference) {
        if (minRegionSize <= 0) {
            return;
        }
        int[] label = new int[disparity.length];
        int[] queue = new int[disparity.length];
        int nextLabel = 0;
        for (int seed = 0; seed < disparity.length; seed++) {
            if (label[seed] != 0 || Float.isNaN(disparity[seed])) {
                continue;
            }
            nextLabel++;
            int head = 0;
            int tail = 0;
            queue[tail++] = seed;
            label[seed] = nextLabel;
            while (head < tail) {
                int p = queue[head++];
                int x = p % width;
                int y = p / width;
                tail = visit(disparity, label, queue, tail, p, x > 0 ? p - 1 : -1, nextLabel, maxDifference);
                tail = visit(disparity, label, queue, tail, p, x < width - 1 ? p + 1 : -1, nextLabel, maxDifference);
                tail = visit(disparity, label, queue, tail, p, y > 0 ? p - width : -1, nextLabel, maxDifference);
                tail = visit(disparity, label, queue, tail, p, y < height - 1 ? p + width : -1, nextLabel,
                        maxDifference);
            }
            if (tail < minRegionSize) {
                for (int k = 0; k < tail; k++) {
                    disparity[queue[k]] = Float.NaN;
                }
            }
        }
    }

    private static int visit(float[] disparity, int[] label, int[] queue, int tail, int from, int to, int region,
            float maxDifference) {
        if (to < 0 || label[to] != 0 || Float.isNaN(disparity[to])
                || Math.abs(disparity[to] - disparity[from]) > maxDifference) {
            return tail;
        }
        label[to] = region;
        queue[tail++] = to;
        return tail;
    }
}
