package dev.mlsuite.detection.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.djl.Device;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.mlsuite.detection.preprocessing.PreprocessingSettings;
import dev.mlsuite.detection.preprocessing.TextPreprocessor;
import dev.mlsuite.inference.api.ModelDefinition;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads the shipped model from {@code models/detection} and checks it on committed test-split
 * documents whose labels come from the data set, so that a broken model file, a changed encoder
 * or a changed preprocessing step fails the build.
 */
class DefaultModelTest {

    private static final Path MODEL_DIRECTORY = Path.of("../models/detection");

    private static DetectorModel model;
    private static List<JsonNode> documents;

    @BeforeAll
    static void loadModel() throws Exception {
        ModelDefinition definition = new ModelDefinition("detector", DetectionHeadModelFactory.TYPE, MODEL_DIRECTORY,
                Device.cpu(), Map.of());
        model = (DetectorModel) new DetectionHeadModelFactory().create(definition);
        try (InputStream input = DefaultModelTest.class.getResourceAsStream("/detection/test-split-documents.json")) {
            documents = new ArrayList<>();
            JsonMapper.builder().build().readTree(input).forEach(documents::add);
        }
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @Test
    void labelsCommittedTestDocumentsCorrectly() {
        List<String> texts = documents.stream().map(document -> document.get("text").asString()).toList();
        double threshold = model.detector().defaultThreshold();

        double[] probabilities = model.detector().probabilities(texts);

        for (int i = 0; i < documents.size(); i++) {
            String expected = documents.get(i).get("label").asString();
            String actual = probabilities[i] >= threshold ? "ai" : "human";
            assertThat(actual).as("label of %s (probability %.4f)", documents.get(i).get("id").asString(),
                    probabilities[i]).isEqualTo(expected);
        }
    }

    @Test
    void metadataMatchesTheShippedHead() {
        EmbeddingHeadDetector detector = (EmbeddingHeadDetector) model.detector();
        DetectionModelMetadata metadata = detector.metadata();

        assertThat(metadata.name()).isEqualTo("minilm-l6-detection-head");
        assertThat(metadata.encoder()).isEqualTo(DetectionModelMetadata.MINILM_ENCODER);
        assertThat(metadata.threshold()).isBetween(0.0, 1.0);
        assertThat(metadata.calibration().scale()).isPositive();
        assertThat(model.version()).isEqualTo(metadata.name() + ":" + metadata.version());
    }

    @Test
    void preprocessingOfShippedModelIsApplied() {
        PreprocessingSettings settings = ((EmbeddingHeadDetector) model.detector()).metadata().preprocessing();
        String text = documents.get(0).get("text").asString();
        String preprocessed;
        try (TextPreprocessor preprocessor = new TextPreprocessor(settings)) {
            preprocessed = preprocessor.apply(text);
        }

        double[] probabilities = model.detector().probabilities(List.of(text));
        List<float[]> embedding = ((EmbeddingHeadDetector) model.detector()).embed(List.of(preprocessed));
        double fromEmbedding = ((EmbeddingHeadDetector) model.detector()).metadata().calibration()
                .probability(((EmbeddingHeadDetector) model.detector()).head().logit(embedding.get(0)));

        assertThat(probabilities[0]).isEqualTo(fromEmbedding);
    }
}
