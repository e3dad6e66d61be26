package dev.mlsuite.detox.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ToxicityCommentsTest {

    @Test
    void csvKeepsQuotedCommasQuotesAndLineBreaks() {
        List<List<String>> rows = CsvRows.parse("rev_id,comment,toxic\n1,\"a, \"\"b\"\"\nc\",True\r\n2,plain,False\n");

        assertThat(rows).hasSize(3);
        assertThat(rows.get(1)).containsExactly("1", "a, \"b\"\nc", "True");
        assertThat(rows.get(2)).containsExactly("2", "plain", "False");
    }

    @Test
    void splitFollowsRevisionId() {
        assertThat(ToxicityComments.Split.of(20)).isEqualTo(ToxicityComments.Split.TRAIN);
        assertThat(ToxicityComments.Split.of(33)).isEqualTo(ToxicityComments.Split.TRAIN);
        assertThat(ToxicityComments.Split.of(34)).isEqualTo(ToxicityComments.Split.VALIDATION);
        assertThat(ToxicityComments.Split.of(36)).isEqualTo(ToxicityComments.Split.VALIDATION);
        assertThat(ToxicityComments.Split.of(37)).isEqualTo(ToxicityComments.Split.TEST);
        assertThat(ToxicityComments.Split.of(39)).isEqualTo(ToxicityComments.Split.TEST);
    }

    @Test
    void cleanCollapsesWhitespaceAndBackticks() {
        assertThat(ToxicityComments.clean("  a  ``quoted``\n\tword `x` ")).isEqualTo("a \"quoted\" word x");
    }
}
