package dev.mlsuite.detection.reduction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.djl.Device;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.mlsuite.detection.model.DetectionHeadModelFactory;
import dev.mlsuite.detection.model.DetectorModel;
import dev.mlsuite.detection.model.EmbeddingHeadDetector;
import dev.mlsuite.detection.model.ReducedCalibration;
import dev.mlsuite.detection.model.ReducedCalibrations;
import dev.mlsuite.inference.api.ModelDefinition;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The shipped detection model with PiToMe token reduction set through the model options. */
class ReducedDetectorTest {

    private static final Path MODEL_DIRECTORY = Path.of("../models/detection");
    private static final Map<String, String> PITOME = Map.of("reduction", "pitome", "reduction-ratio", "0.85");

    private static DetectorModel reduced;
    private static DetectorModel full;
    private static List<JsonNode> documents;

    @BeforeAll
    static void loadModels() throws Exception {
        reduced = load(PITOME);
        full = load(Map.of());
        try (InputStream input = ReducedDetectorTest.class.getResourceAsStream("/detection/test-split-documents.json")) {
            documents = new ArrayList<>();
            JsonMapper.builder().build().readTree(input).forEach(documents::add);
        }
    }

    @AfterAll
    static void closeModels() {
        reduced.close();
        full.close();
    }

    private static DetectorModel load(Map<String, String> options) throws Exception {
        ModelDefinition definition = new ModelDefinition("detector", DetectionHeadModelFactory.TYPE, MODEL_DIRECTORY,
                Device.cpu(), options);
        return (DetectorModel) new DetectionHeadModelFactory().create(definition);
    }

    @Test
    void pitomeKeepsLabelsOfCommittedDocuments() {
        List<String> texts = documents.stream().map(document -> document.get("text").asString()).toList();
        double threshold = reduced.detector().defaultThreshold();

        double[] probabilities = reduced.detector().probabilities(texts);

        for (int i = 0; i < documents.size(); i++) {
            String actual = probabilities[i] >= threshold ? "ai" : "human";
            assertThat(actual).as("label of %s (probability %.4f)", documents.get(i).get("id").asString(),
                    probabilities[i]).isEqualTo(documents.get(i).get("label").asString());
        }
    }

    @Test
    void reductionOptionChangesEncoderOutput() {
        List<String> texts = documents.stream().map(document -> document.get("text").asString()).toList();

        double[] reducedProbabilities = reduced.detector().probabilities(texts);
        double[] fullProbabilities = full.detector().probabilities(texts);

        assertThat(reducedProbabilities).isNotEqualTo(fullProbabilities);
    }

    @Test
    void reducedModelUsesRefittedCalibration() {
        ReducedCalibration stored = ReducedCalibrations.read(
                MODEL_DIRECTORY.resolve(ReducedCalibration.FOLDER).resolve("pitome-0.85.json"));

        EmbeddingHeadDetector detector = (EmbeddingHeadDetector) reduced.detector();

        assertThat(detector.calibration()).isEqualTo(stored.calibration());
        assertThat(reduced.details().get("calibration")).startsWith("refitted for pitome ratio=0.85");
        assertThat(((EmbeddingHeadDetector) full.detector()).calibration())
                .isEqualTo(((EmbeddingHeadDetector) full.detector()).metadata().calibration());
    }

    @Test
    void unfittedRatioKeepsUnreducedCalibration() throws Exception {
        try (DetectorModel unfitted = load(Map.of("reduction", "pitome", "reduction-ratio", "0.65"))) {
            EmbeddingHeadDetector detector = (EmbeddingHeadDetector) unfitted.detector();

            assertThat(detector.calibration()).isEqualTo(detector.metadata().calibration());
            assertThat(unfitted.details().get("tokenReduction")).isEqualTo("pitome ratio=0.65");
            assertThat(unfitted.details().get("calibration")).startsWith("unreduced calibration from model.json")
                    .contains("no calibration for pitome ratio=0.65");
        }
    }

    @Test
    void invalidReductionOptionNamesModel() {
        assertThatThrownBy(() -> load(Map.of("reduction", "pitome", "reduction-ratio", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'detector'")
                .hasMessageContaining("keep ratio 0.0 is outside (0, 1]");
    }

    @Test
    void layerIndexBeyondEncoderIsRejected() {
        assertThatThrownBy(() -> load(Map.of("reduction", "pitome", "reduction-ratio", "0.8",
                "reduction-layers", "9")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'detector'")
                .hasMessageContaining("layer index 9 is outside 0..5");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void algorithmThatMergesNothingLogsWarning(CapturedOutput output) throws Exception {
        try (DetectorModel idle = load(Map.of("reduction", "tome", "reduction-ratio", "1.0"))) {
            assertThat(idle.details().get("tokenReduction")).isEqualTo("none");
        }

        assertThat(output.getAll()).contains("WARN")
                .contains("token reduction tome is set but merges no tokens because reduction-ratio is 1.0");
    }

    @Test
    void nanMarginIsRejected() {
        assertThatThrownBy(() -> load(Map.of("reduction", "pitome", "reduction-ratio", "0.8",
                "reduction-margin", "NaN")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'detector'")
                .hasMessageContaining("margin NaN must be a finite number");
    }

    @Test
    void otherMarginSaysWhyFittedFileWasSkipped() throws Exception {
        try (DetectorModel unfitted = load(Map.of("reduction", "pitome", "reduction-ratio", "0.8",
                "reduction-margin", "0.4"))) {
            EmbeddingHeadDetector detector = (EmbeddingHeadDetector) unfitted.detector();

            assertThat(detector.calibration()).isEqualTo(detector.metadata().calibration());
            assertThat(unfitted.details().get("tokenReduction")).isEqualTo("pitome ratio=0.8 margin=0.4");
            assertThat(unfitted.details().get("calibration"))
                    .contains("no calibration for pitome ratio=0.8 margin=0.4")
                    .contains("skipped pitome-0.80.json (fitted with margin 0.5, configured 0.4)");
        }
    }
}
