package dev.mlsuite.vision.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class NonMaxSuppressionTest {

    @Test
    void keepsStrongestOfOverlappingBoxes() {
        Detection strong = new Detection(10, 10, 50, 100, 2.0);
        Detection weakOverlap = new Detection(14, 12, 50, 100, 1.0);
        Detection separate = new Detection(200, 10, 50, 100, 0.5);

        List<Detection> kept = NonMaxSuppression.apply(List.of(weakOverlap, separate, strong), 0.4);

        assertThat(kept).containsExactly(strong, separate);
    }

    @Test
    void keepsBoxesOverlappingBelowThreshold() {
        Detection left = new Detection(0, 0, 100, 100, 1.0);
        Detection right = new Detection(60, 0, 100, 100, 0.9);

        assertThat(left.iou(right)).isBetween(0.25, 0.26);
        assertThat(NonMaxSuppression.apply(List.of(left, right), 0.4)).hasSize(2);
        assertThat(NonMaxSuppression.apply(List.of(left, right), 0.2)).containsExactly(left);
    }

    @Test
    void iouOfDisjointBoxesIsZero() {
        Detection a = new Detection(0, 0, 10, 10, 1);
        Detection b = new Detection(20, 20, 10, 10, 1);

        assertThat(a.iou(b)).isZero();
        assertThat(a.iou(a)).isEqualTo(1.0);
    }
}
