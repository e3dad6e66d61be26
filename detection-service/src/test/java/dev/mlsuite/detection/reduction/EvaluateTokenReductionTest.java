package dev.mlsuite.detection.reduction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mlsuite.detection.training.BinaryMetrics;
import dev.mlsuite.detection.training.CorpusDocument;
import dev.mlsuite.detection.training.DocumentGroup;

/** Command-line options and document selection of the token reduction evaluation. */
class EvaluateTokenReductionTest {

    /** Human documents first, then AI ones, as the corpus lists its source sets. */
    private static List<CorpusDocument> corpusOrder() {
        List<CorpusDocument> documents = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            documents.add(new CorpusDocument("TOEFL_real_91", i, DocumentGroup.HUMAN, "human text " + i, 0.1));
        }
        for (int i = 0; i < 3; i++) {
            documents.add(new CorpusDocument("TOEFL_gpt4_91", i, DocumentGroup.AI, "ai text " + i, 0.9));
        }
        return documents;
    }

    @Test
    void limitAlternatesBetweenClasses() {
        List<CorpusDocument> selected = EvaluateTokenReduction.stratifiedLimit(corpusOrder(), 4);

        assertThat(selected).extracting(CorpusDocument::id)
                .containsExactly("TOEFL_real_91#0", "TOEFL_gpt4_91#0", "TOEFL_real_91#1", "TOEFL_gpt4_91#1");
    }

    @Test
    void limitFillsFromLargerClassOnceOtherIsUsedUp() {
        List<CorpusDocument> selected = EvaluateTokenReduction.stratifiedLimit(corpusOrder(), 8);

        assertThat(selected).hasSize(8);
        assertThat(selected.stream().filter(document -> document.label() == 1)).hasSize(3);
        assertThat(selected.stream().filter(document -> document.label() == 0)).hasSize(5);
        assertThat(EvaluateTokenReduction.stratifiedLimit(corpusOrder(), 8)).isEqualTo(selected);
    }

    @Test
    void limitAboveSizeKeepsEveryDocument() {
        assertThat(EvaluateTokenReduction.stratifiedLimit(corpusOrder(), 100)).isEqualTo(corpusOrder());
    }

    @Test
    void aurocOfOneClassIsNotANumber() {
        BinaryMetrics oneClass = BinaryMetrics.of(new double[] {0.2, 0.7}, new int[] {0, 0}, 0.5);
        BinaryMetrics twoClasses = BinaryMetrics.of(new double[] {0.2, 0.7}, new int[] {0, 1}, 0.5);

        assertThat(EvaluateTokenReduction.formatAuroc(oneClass.auroc())).isEqualTo("n/a (one class)");
        assertThat(EvaluateTokenReduction.formatAuroc(twoClasses.auroc())).isEqualTo("1.0000");
    }

    @Test
    void defaultPlotIsUnderTarget() {
        EvaluateTokenReduction.Options options = EvaluateTokenReduction.Options.parse(new String[] {"data"});

        assertThat(options.plotFile()).isEqualTo(Path.of("detection-service/target/token-reduction-detection.png"));
        assertThat(options.reportFile()).isEqualTo(Path.of("detection-service/target/token-reduction.md"));
    }

    @Test
    void limitBelowOneIsRejected() {
        assertThatThrownBy(() -> EvaluateTokenReduction.Options.parse(new String[] {"data", "--limit", "0"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--limit 0 must be at least 1");
    }
}
