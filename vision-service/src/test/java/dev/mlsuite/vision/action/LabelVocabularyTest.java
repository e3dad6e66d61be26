package dev.mlsuite.vision.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.mlsuite.platform.web.ApiException;

class LabelVocabularyTest {

    private final LabelVocabulary vocabulary = new LabelVocabulary(5, 30);

    @Test
    void kineticsVocabularyHas400Labels() {
        assertThat(vocabulary.kinetics400()).hasSize(400);
        assertThat(vocabulary.kinetics400()).contains("arm wrestling", "abseiling");
        assertThat(vocabulary.kinetics400()).doesNotHaveDuplicates();
    }

    @Test
    void splitsLinesAndKeepsCommas() {
        String[] values = {"arm wrestling\r\nshaking hands\n", "  drinking, eating  ", "arm wrestling"};

        assertThat(vocabulary.parse(values)).containsExactly("arm wrestling", "shaking hands", "drinking, eating");
    }

    @Test
    void missingFieldYieldsNoLabels() {
        assertThat(vocabulary.parse(null)).isEmpty();
    }

    @Test
    void rejectsBlankField() {
        assertThatThrownBy(() -> vocabulary.parse(new String[] {" \n\n "}))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("contains no label");
        assertThatThrownBy(() -> vocabulary.parse(new String[] {""}))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("contains no label");
    }

    @Test
    void rejectsControlCharacters() {
        assertThatThrownBy(() -> vocabulary.parse(new String[] {"arm\u0000wrestling"}))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("control character");
        assertThatThrownBy(() -> vocabulary.parse(new String[] {"arm\twrestling"}))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("control character");
    }

    @Test
    void rejectsTooManyLabels() {
        String[] values = {"a\nb\nc\nd\ne\nf"};

        assertThatThrownBy(() -> vocabulary.parse(values))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.kind()).isEqualTo("too-many-labels");
                    assertThat(e.value()).isEqualTo(6);
                });
    }

    @Test
    void rejectsOverlongLabel() {
        String[] values = {"x".repeat(31)};

        assertThatThrownBy(() -> vocabulary.parse(values))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.kind()).isEqualTo("invalid-label"));
    }
}
