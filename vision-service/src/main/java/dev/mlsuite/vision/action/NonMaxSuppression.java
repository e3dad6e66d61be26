package dev.mlsuite.vision.action;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy non-maximum suppression over {@link Detection} boxes. */
public final class NonMaxSuppression {

    private NonMaxSuppression() {
    }

    /**
     * Keeps the highest-scoring box of every group of boxes that overlap by more than
     * {@code iouThreshold}. Returns the kept boxes ordered by descending score.
     */
    public static List<Detection> apply(List<Detection> detections, double iouThreshold) {
        List<Detection> remaining = new ArrayList<>(detections);
        remaining.sort(Comparator.comparingDouble(Detection::score).reversed());

        List<Detection> kept = new ArrayList<>();
        for (Detection candidate : remaining) {
            boolean suppressed = false;
            for (Detection winner : kept) {
                if (candidate.iou(winner) > iouThreshold) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(candidate);
            }
        }
        return kept;
    }
}
