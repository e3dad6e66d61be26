package dev.mlsuite.detox.toxicity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped MiniLM toxicity scorer, loaded from {@code models/detox/scorer} like the service loads it. */
class EmbeddingToxicityScorerTest {

    static final Path SCORER_FOLDER = Path.of("..", "models", "detox", "scorer");

    static ToxicityScorer scorer;

    @TempDir
    Path folder;

    @BeforeAll
    static void loadScorer() throws IOException {
        scorer = ToxicityScorer.load(SCORER_FOLDER, Device.cpu());
    }

    @AfterAll
    static void closeScorer() {
        scorer.close();
    }

    @Test
    void shippedScorerIsTheMiniLmHead() {
        assertThat(scorer).isInstanceOf(EmbeddingToxicityScorer.class);
        assertThat(scorer.description()).contains("all-MiniLM-L6-v2");
    }

    @Test
    void insultScoresToxic() {
        assertThat(scorer.score("you are a stupid idiot, shut up")).isGreaterThan(ToxicityScorer.TOXIC_THRESHOLD);
    }

    @Test
    void shortCleanTextScoresFarBelowBaseRate() {
        // 16% of the training comments are toxic; clean text must not sit at that floor.
        assertThat(scorer.score("Thank you for the helpful edit to the article.")).isLessThan(0.05);
        assertThat(scorer.score("Once upon a time, there was a little girl named Lily.")).isLessThan(0.05);
    }

    @Test
    void batchScoresMatchSingleScores() {
        List<String> texts = List.of("you are a stupid idiot", "I moved the section to the talk page.",
                "a much longer comment about the sources of this article and why they were removed yesterday");

        double[] batch = scorer.scoreAll(texts);

        for (int i = 0; i < texts.size(); i++) {
            assertThat(batch[i]).as("text %s", i).isCloseTo(scorer.score(texts.get(i)), within(1e-4));
        }
    }

    @Test
    void unknownScorerTypeIsRejected() throws IOException {
        Files.writeString(folder.resolve(ToxicityScorer.FILE_NAME), "{\"type\": \"random-forest\"}");

        assertThatThrownBy(() -> ToxicityScorer.load(folder, Device.cpu())).isInstanceOf(IOException.class)
                .hasMessageContaining("random-forest").hasMessageContaining(EmbeddingToxicityScorer.TYPE);
    }
}
