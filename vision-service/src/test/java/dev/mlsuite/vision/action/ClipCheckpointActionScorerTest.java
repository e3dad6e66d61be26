package dev.mlsuite.vision.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipCheckpointActionScorerTest {

    @TempDir
    Path temp;

    @Test
    void reportsMissingFolder() {
        Capability capability = new ClipCheckpointActionScorer(temp.resolve("clip")).capability();

        assertThat(capability.active()).isFalse();
        assertThat(capability.detail()).contains("does not exist").contains("vision.action.clip.checkpoint-dir");
    }

    @Test
    void reportsFolderWithoutWeights() throws IOException {
        Files.writeString(temp.resolve("config.json"), "{}");

        Capability capability = new ClipCheckpointActionScorer(temp).capability();

        assertThat(capability.active()).isFalse();
        assertThat(capability.detail()).contains("lacks").contains("*.safetensors").doesNotContain("config.json ");
    }

    @Test
    void reportsCheckpointThatCannotBeScoredYet() throws IOException {
        Files.writeString(temp.resolve("config.json"), "{}");
        Files.write(temp.resolve("model.safetensors"), new byte[8]);

        ClipCheckpointActionScorer scorer = new ClipCheckpointActionScorer(temp);

        assertThat(scorer.capability().active()).isFalse();
        assertThat(scorer.capability().detail()).contains("present").contains("no CLIP scorer");
        assertThatThrownBy(() -> scorer.score(new PersonTube(1, List.of()), List.of(), List.of("running")))
                .isInstanceOf(IllegalStateException.class);
    }
}
