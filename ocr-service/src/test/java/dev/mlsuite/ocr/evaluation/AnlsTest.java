package dev.mlsuite.ocr.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AnlsTest {

    @Test
    void identicalAnswersScoreOne() {
        assertThat(Anls.score(" Total 9.00 ", "total  9.00")).isEqualTo(1.0);
        assertThat(Anls.exactMatch("SDN BHD", "sdn bhd")).isTrue();
    }

    @Test
    void oneEditInTenScoresNineTenths() {
        assertThat(Anls.score("25/12/2018", "25/12/2019")).isCloseTo(0.9, within(1e-9));
    }

    @Test
    void distanceAtThresholdScoresZero() {
        assertThat(Anls.score("abcd", "abxy")).isZero();
        assertThat(Anls.score("", "9.00")).isZero();
    }

    @Test
    void levenshteinCountsEdits() {
        assertThat(Anls.levenshtein("kitten", "sitting")).isEqualTo(3);
        assertThat(Anls.levenshtein("", "abc")).isEqualTo(3);
    }
}
