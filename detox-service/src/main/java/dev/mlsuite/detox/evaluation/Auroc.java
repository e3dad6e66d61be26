package dev.mlsuite.detox.evaluation;

import java.util.Arrays;

/** Area under the ROC curve by the rank-sum (Mann-Whitney U) statistic, ties counted half. */
public final class Auroc {

    private Auroc() {
    }

    /** Returns the AUROC of {@code scores} for {@code positive} labels; 0.5 when one class is empty. */
    public static double of(double[] scores, boolean[] positive) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));

        double[] ranks = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = averageRank;
            }
            i = j + 1;
        }

        long positives = 0;
        double rankSum = 0;
        for (int k = 0; k < n; k++) {
            if (positive[k]) {
                positives++;
                rankSum += ranks[k];
            }
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return 0.5;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
