package dev.mlsuite.detox.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AurocTest {

    @Test
    void perfectSeparationIsOne() {
        assertThat(Auroc.of(new double[] {0.1, 0.2, 0.8, 0.9}, new boolean[] {false, false, true, true}))
                .isEqualTo(1.0);
    }

    @Test
    void reversedSeparationIsZero() {
        assertThat(Auroc.of(new double[] {0.9, 0.8, 0.2, 0.1}, new boolean[] {false, false, true, true}))
                .isEqualTo(0.0);
    }

    @Test
    void tiesCountHalf() {
        // Pairs (positive, negative): (0.5, 0.5) tie = 0.5, (0.5, 0.1) = 1, (0.7, 0.5) = 1, (0.7, 0.1) = 1.
        double auroc = Auroc.of(new double[] {0.5, 0.7, 0.5, 0.1}, new boolean[] {true, true, false, false});

        assertThat(auroc).isCloseTo(3.5 / 4, within(1e-12));
    }

    @Test
    void oneClassGivesHalf() {
        assertThat(Auroc.of(new double[] {0.3, 0.4}, new boolean[] {true, true})).isEqualTo(0.5);
    }
}
