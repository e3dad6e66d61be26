package dev.mlsuite.vision.action.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mlsuite.vision.action.Detection;

class MatchCountsTest {

    private static final PersonAnnotations.Person LEFT = new PersonAnnotations.Person("A", 0, 0, 100, 200, false);
    private static final PersonAnnotations.Person RIGHT = new PersonAnnotations.Person("B", 200, 0, 100, 200, false);
    private static final PersonAnnotations.Person BACKGROUND =
            new PersonAnnotations.Person("bg", 120, 10, 40, 60, true);

    @Test
    void countsHitsFalseAlarmsAndMisses() {
        List<Detection> predictions = List.of(
                new Detection(5, 5, 100, 200, 2.0),
                new Detection(400, 0, 50, 100, 1.0));

        MatchCounts counts = MatchCounts.of(predictions, List.of(LEFT, RIGHT), 0.5);

        assertThat(counts.truePositives()).isEqualTo(1);
        assertThat(counts.falsePositives()).isEqualTo(1);
        assertThat(counts.misses()).isEqualTo(1);
        assertThat(counts.precision()).isEqualTo(0.5);
        assertThat(counts.recall()).isEqualTo(0.5);
    }

    @Test
    void duplicateDetectionIsFalsePositive() {
        List<Detection> predictions = List.of(
                new Detection(0, 0, 100, 200, 1.0),
                new Detection(2, 2, 100, 200, 2.0));

        MatchCounts counts = MatchCounts.of(predictions, List.of(LEFT), 0.5);

        assertThat(counts.truePositives()).isEqualTo(1);
        assertThat(counts.falsePositives()).isEqualTo(1);
        assertThat(counts.misses()).isZero();
    }

    @Test
    void difficultPersonsCountForNothing() {
        List<Detection> predictions = List.of(
                new Detection(120, 10, 40, 60, 1.0),
                new Detection(122, 12, 40, 60, 0.5));

        MatchCounts counts = MatchCounts.of(predictions, List.of(BACKGROUND), 0.5);

        assertThat(counts.truePositives()).isZero();
        assertThat(counts.falsePositives()).isZero();
        assertThat(counts.misses()).isZero();
        assertThat(counts.precision()).isNaN();
    }

    @Test
    void overlapBelowThresholdIsNoMatch() {
        // IoU of these boxes is 50 * 200 / (2 * 100 * 200 - 50 * 200) = 1/3.
        List<Detection> predictions = List.of(new Detection(50, 0, 100, 200, 1.0));

        assertThat(MatchCounts.of(predictions, List.of(LEFT), 0.5).truePositives()).isZero();
        assertThat(MatchCounts.of(predictions, List.of(LEFT), 0.3).truePositives()).isEqualTo(1);
    }

    @Test
    void sumsAcrossFrames() {
        MatchCounts sum = new MatchCounts(1, 2, 3).plus(new MatchCounts(4, 5, 6));

        assertThat(sum).isEqualTo(new MatchCounts(5, 7, 9));
    }
}
