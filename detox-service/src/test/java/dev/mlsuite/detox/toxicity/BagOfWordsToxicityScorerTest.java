package dev.mlsuite.detox.toxicity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BagOfWordsToxicityScorerTest {

    @TempDir
    Path folder;

    @Test
    void scoreAddsWeightsOfPresentWordsOnce() {
        BagOfWordsToxicityScorer scorer = new BagOfWordsToxicityScorer(List.of("idiot", "thanks"), new double[] {2.0, -1.0}, -0.5);

        assertThat(scorer.score("You IDIOT, idiot!")).isCloseTo(1 / (1 + Math.exp(-1.5)), within(1e-12));
        assertThat(scorer.score("thanks")).isCloseTo(1 / (1 + Math.exp(1.5)), within(1e-12));
        assertThat(scorer.score("")).isCloseTo(1 / (1 + Math.exp(0.5)), within(1e-12));
    }

    @Test
    void saveAndLoadKeepScores() throws IOException {
        BagOfWordsToxicityScorer scorer = new BagOfWordsToxicityScorer(List.of("a", "b", "c"), new double[] {0.25, -1.5, 3.0}, 0.1);
        Path file = folder.resolve(ToxicityScorer.FILE_NAME);

        scorer.save(file, Map.of("note", "test"));
        BagOfWordsToxicityScorer loaded = BagOfWordsToxicityScorer.load(file);

        assertThat(loaded.score("a c")).isCloseTo(scorer.score("a c"), within(1e-9));
        assertThat(loaded.vocabularySize()).isEqualTo(3);
    }
}
