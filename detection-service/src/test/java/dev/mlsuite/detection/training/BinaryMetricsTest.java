package dev.mlsuite.detection.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BinaryMetricsTest {

    @Test
    void confusionMatrixAtThreshold() {
        double[] probabilities = {0.9, 0.6, 0.4, 0.2, 0.7, 0.1};
        int[] labels = {1, 1, 1, 0, 0, 0};

        BinaryMetrics metrics = BinaryMetrics.of(probabilities, labels, 0.5);

        assertThat(metrics.truePositives()).isEqualTo(2);
        assertThat(metrics.falseNegatives()).isEqualTo(1);
        assertThat(metrics.falsePositives()).isEqualTo(1);
        assertThat(metrics.trueNegatives()).isEqualTo(2);
        assertThat(metrics.accuracy()).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(metrics.falsePositiveRate()).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void aurocCountsPairsAndTies() {
        // Pairs (positive, negative): 0.9 beats all 3, 0.6 beats 0.2 and 0.1, 0.4 beats 0.2 and 0.1 -> 7 of 9.
        double[] probabilities = {0.9, 0.6, 0.4, 0.2, 0.7, 0.1};
        int[] labels = {1, 1, 1, 0, 0, 0};
        assertThat(BinaryMetrics.auroc(probabilities, labels)).isCloseTo(7.0 / 9, within(1e-12));

        double[] tied = {0.5, 0.5};
        assertThat(BinaryMetrics.auroc(tied, new int[] {1, 0})).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void tprAtOnePercentFprExcludesHumans() {
        // The highest human score is 0.7, so only AI documents above it count: 0.9 -> TPR 1/3.
        double[] probabilities = {0.9, 0.6, 0.4, 0.2, 0.7, 0.1};
        int[] labels = {1, 1, 1, 0, 0, 0};

        assertThat(BinaryMetrics.tprAtFpr(probabilities, labels, 0.01)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(BinaryMetrics.tprAtFpr(probabilities, labels, 0.34)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void singleClassHasNoAuroc() {
        BinaryMetrics metrics = BinaryMetrics.of(new double[] {0.2, 0.8}, new int[] {0, 0}, 0.5);

        assertThat(metrics.auroc()).isNaN();
        assertThat(metrics.falsePositiveRate()).isCloseTo(0.5, within(1e-12));
        assertThat(metrics.truePositiveRate()).isNaN();
    }
}
