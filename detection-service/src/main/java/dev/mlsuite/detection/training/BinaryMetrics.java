package dev.mlsuite.detection.training;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Metrics of a binary detector on one set of documents, with AI as the positive class.
 *
 * @param count number of documents
 * @param truePositives AI documents labelled AI
 * @param falsePositives human documents labelled AI
 * @param trueNegatives human documents labelled human
 * @param falseNegatives AI documents labelled human
 * @param auroc area under the ROC curve, NaN when only one class is present
 * @param tprAtOnePercentFpr highest true positive rate among thresholds whose false positive rate is
 *     at most 1%, NaN when only one class is present
 */
public record BinaryMetrics(int count, int truePositives, int falsePositives, int trueNegatives, int falseNegatives,
        double auroc, double tprAtOnePercentFpr) {

    /** Maximum false positive rate for {@link #tprAtOnePercentFpr}. */
    public static final double FPR_LIMIT = 0.01;

    /**
     * Computes the metrics.
     *
     * @param probabilities probability of AI per document
     * @param labels 1 for AI, 0 for human
     * @param threshold documents with probability at or above it are labelled AI
     */
    public static BinaryMetrics of(double[] probabilities, int[] labels, double threshold) {
        if (probabilities.length != labels.length) {
            throw new IllegalArgumentException("need one label per probability, found " + probabilities.length
                    + " probabilities and " + labels.length + " labels");
        }
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean predictedAi = probabilities[i] >= threshold;
            if (labels[i] == 1) {
                tp += predictedAi ? 1 : 0;
                fn += predictedAi ? 0 : 1;
            } else {
                fp += predictedAi ? 1 : 0;
                tn += predictedAi ? 0 : 1;
            }
        }
        return new BinaryMetrics(labels.length, tp, fp, tn, fn, auroc(probabilities, labels),
                tprAtFpr(probabilities, labels, FPR_LIMIT));
    }

    public double accuracy() {
        return count == 0 ? Double.NaN : (double) (truePositives + trueNegatives) / count;
    }

    /** Returns the share of human documents labelled AI, NaN without human documents. */
    public double falsePositiveRate() {
        int negatives = falsePositives + trueNegatives;
        return negatives == 0 ? Double.NaN : (double) falsePositives / negatives;
    }

    /** Returns the share of AI documents labelled AI, NaN without AI documents. */
    public double truePositiveRate() {
        int positives = truePositives + falseNegatives;
        return positives == 0 ? Double.NaN : (double) truePositives / positives;
    }

    /**
     * Returns the Mann-Whitney estimate of the AUROC: the chance that a random AI document scores
     * above a random human one, counting ties as one half.
     */
    static double auroc(double[] probabilities, int[] labels) {
        long positives = Arrays.stream(labels).filter(label -> label == 1).count();
        long negatives = labels.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        Integer[] order = IntStream.range(0, labels.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> probabilities[i]));

        // Average ranks (1-based) over runs of tied scores.
        double positiveRankSum = 0;
        int start = 0;
        while (start < order.length) {
            int end = start;
            while (end + 1 < order.length && probabilities[order[end + 1]] == probabilities[order[start]]) {
                end++;
            }
            double averageRank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) {
                if (labels[order[k]] == 1) {
                    positiveRankSum += averageRank;
                }
            }
            start = end + 1;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Returns the highest TPR over thresholds at the observed scores whose FPR stays at or below {@code maxFpr}. */
    static double tprAtFpr(double[] probabilities, int[] labels, double maxFpr) {
        long positives = Arrays.stream(labels).filter(label -> label == 1).count();
        long negatives = labels.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double best = 0;
        for (double threshold : Arrays.stream(probabilities).distinct().toArray()) {
            int tp = 0;
            int fp = 0;
            for (int i = 0; i < labels.length; i++) {
                if (probabilities[i] >= threshold) {
                    tp += labels[i];
                    fp += 1 - labels[i];
                }
            }
            if ((double) fp / negatives <= maxFpr) {
                best = Math.max(best, (double) tp / positives);
            }
        }
        return best;
    }
}
