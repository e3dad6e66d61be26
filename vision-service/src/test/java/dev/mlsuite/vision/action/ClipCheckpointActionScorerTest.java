package dev.mlsuite.vision.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mlsuite.inference.clip.RandomClipCheckpoint;
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
    void reportsCheckpointThatFailsToLoad() throws IOException {
        Files.writeString(temp.resolve("config.json"), "{}");
        Files.writeString(temp.resolve("tokenizer.json"), "{}");
        Files.write(temp.resolve("model.safetensors"), new byte[8]);

        ClipCheckpointActionScorer scorer = new ClipCheckpointActionScorer(temp);

        assertThat(scorer.capability().active()).isFalse();
        assertThat(scorer.capability().detail()).contains("Failed to load the CLIP checkpoint");
        assertThat(scorer.components()).isEmpty();
        assertThatThrownBy(() -> scorer.score(new PersonTube(1, List.of()), List.of(), List.of("running")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void scoresTubeWithSmallCheckpoint() throws IOException {
        List<String> labels = List.of("arm wrestling", "shaking hands", "drinking beer");
        RandomClipCheckpoint.tiny().write(temp, labels, 11);
        VideoFrame frame = HogPersonDetectorTest.frameOfAvaClip(0);
        PersonTube tube = new PersonTube(1, List.of(new TubeBox(0, 0, new Detection(150, 35, 190, 210, 1), false)));

        try (ClipCheckpointActionScorer scorer = new ClipCheckpointActionScorer(temp)) {
            List<ActionScore> scores = scorer.score(tube, List.of(frame), labels);

            assertThat(scorer.capability().active()).isTrue();
            assertThat(scorer.components()).containsKeys("clipEncoders", "personTokens", "personContextInteraction",
                    "interestTokenSpotting", "contextPrompting");
            assertThat(scorer.components().get("personTokens").active()).isTrue();
            assertThat(scorer.components().get("personContextInteraction").active()).isFalse();
            assertThat(scorer.components().get("contextPrompting").active()).isFalse();
            assertThat(scores).extracting(ActionScore::label).containsExactlyInAnyOrderElementsOf(labels);
            for (ActionScore score : scores) {
                assertThat(score.score()).isBetween(-1.0, 1.0);
            }
            assertThat(scores.get(0).score()).isGreaterThanOrEqualTo(scores.get(2).score());
            assertThat(scorer.score(tube, List.of(frame), labels)).isEqualTo(scores);
        }
    }
}
