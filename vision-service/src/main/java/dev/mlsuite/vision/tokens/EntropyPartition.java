package dev.mlsuite.vision.tokens;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Splits an image into a given number of rectangles, always splitting next the rectangle whose
 * texture carries the most entropy.
 *
 * <p>The score of a rectangle is the Shannon entropy of its luma histogram in bits per pixel
 * ({@value #HISTOGRAM_BINS} equal bins over {@code [0, 1]}) times its pixel count, so it is the
 * information the rectangle holds: flat areas score zero and stay large, busy areas are split
 * first. Ties go to the larger rectangle, then to the one created first, so the result is
 * deterministic. Once every remaining rectangle scores zero, the largest ones are split, so any
 * count up to the pixel count is reached.
 */
public final class EntropyPartition {

    public static final int HISTOGRAM_BINS = 16;

    private EntropyPartition() {
    }

    /** Splits {@code image} into exactly {@code regionCount} rectangles that tile it. */
    public static List<Region> partition(RgbImage image, int regionCount) {
        if (regionCount < 1 || regionCount > image.pixelCount()) {
            throw new IllegalArgumentException("regionCount must be between 1 and the pixel count "
                    + image.pixelCount() + ", got " + regionCount);
        }

        List<Region> finished = new ArrayList<>();
        PriorityQueue<ScoredRegion> queue = new PriorityQueue<>(Comparator
                .comparingDouble(ScoredRegion::score).reversed()
                .thenComparing(Comparator.comparingInt((ScoredRegion scored) -> scored.region().pixelCount()).reversed())
                .thenComparingLong(ScoredRegion::order));
        long[] order = {0};
        offer(image, new Region(0, 0, image.width(), image.height()), queue, finished, order);

        while (queue.size() + finished.size() < regionCount) {
            ScoredRegion next = queue.poll();
            for (Region half : next.region().split()) {
                offer(image, half, queue, finished, order);
            }
        }

        List<Region> regions = new ArrayList<>(finished);
        queue.stream().sorted(Comparator.comparingLong(ScoredRegion::order)).map(ScoredRegion::region)
                .forEach(regions::add);
        return regions;
    }

    /** Returns the Shannon entropy, in bits per pixel, of the luma histogram of a rectangle. */
    public static double entropyBits(RgbImage image, Region region) {
        int[] counts = new int[HISTOGRAM_BINS];
        for (int y = region.y0(); y < region.y0() + region.height(); y++) {
            for (int x = region.x0(); x < region.x0() + region.width(); x++) {
                int bin = Math.min(HISTOGRAM_BINS - 1, Math.max(0, (int) (image.luma(x, y) * HISTOGRAM_BINS)));
                counts[bin]++;
            }
        }

        double total = region.pixelCount();
        double entropy = 0;
        for (int count : counts) {
            if (count > 0) {
                double p = count / total;
                entropy -= p * Math.log(p) / Math.log(2);
            }
        }
        return entropy;
    }

    private static void offer(RgbImage image, Region region, PriorityQueue<ScoredRegion> queue, List<Region> finished,
            long[] order) {
        if (!region.splittable()) {
            finished.add(region);
            return;
        }
        double score = entropyBits(image, region) * region.pixelCount();
        queue.add(new ScoredRegion(region, score, order[0]++));
    }

    private record ScoredRegion(Region region, double score, long order) {
    }
}
