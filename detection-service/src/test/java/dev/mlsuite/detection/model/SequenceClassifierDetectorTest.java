package dev.mlsuite.detection.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mlsuite.detection.preprocessing.PreprocessingSettings;
import dev.mlsuite.inference.api.ModelDefinition;
import dev.mlsuite.inference.bert.BertEncoder;
import dev.mlsuite.inference.bert.Pooling;
import dev.mlsuite.inference.bert.TokenState;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.io.CheckpointException;
import dev.mlsuite.inference.io.Safetensors;
import dev.mlsuite.inference.io.TensorSource;

class SequenceClassifierDetectorTest {

    private static final ChunkingSettings WINDOWS = new ChunkingSettings(TinyBertCheckpoint.MAX_POSITIONS, 4);
    private static final String SHORT_TEXT = "the student wrote this essay about school.";
    private static final String LONG_TEXT = "the student wrote this essay about school and computers. ".repeat(6);

    private static SequenceClassifierDetector load(Path directory, Optional<String> aiLabel) throws Exception {
        return SequenceClassifierDetector.load(directory, WINDOWS, PreprocessingSettings.NONE, aiLabel, 0.5,
                "inference.models.test.options", Device.cpu());
    }

    @Test
    void zeroWeightsGiveSoftmaxOfBias(@TempDir Path directory) throws Exception {
        TinyBertCheckpoint.write(directory, List.of("human", "ai"), new float[] {0f, (float) Math.log(3)}, true, 1);

        try (SequenceClassifierDetector detector = load(directory, Optional.empty())) {
            double[] probabilities = detector.probabilities(List.of(SHORT_TEXT, LONG_TEXT));

            assertThat(detector.aiLabelIndex()).isEqualTo(1);
            assertThat(probabilities[0]).isCloseTo(0.75, within(1e-6));
            // The long text spans several 16-token windows; every window gives 0.75, and so does their mean.
            assertThat(probabilities[1]).isCloseTo(0.75, within(1e-6));
        }
    }

    @Test
    void aiLabelFoundByNameInAnyPosition(@TempDir Path directory) throws Exception {
        TinyBertCheckpoint.write(directory, List.of("Fake", "Real"), new float[] {(float) Math.log(3), 0f}, true, 2);

        try (SequenceClassifierDetector detector = load(directory, Optional.empty())) {
            assertThat(detector.aiLabelIndex()).isEqualTo(0);
            assertThat(detector.probabilities(List.of(SHORT_TEXT))[0]).isCloseTo(0.75, within(1e-6));
        }
    }

    @Test
    void configuredAiLabelOverridesNames(@TempDir Path directory) throws Exception {
        TinyBertCheckpoint.write(directory, List.of("LABEL_0", "LABEL_1", "LABEL_2"), new float[] {0f, 0f, 0f}, true,
                3);

        try (SequenceClassifierDetector detector = load(directory, Optional.of("label_2"))) {
            assertThat(detector.aiLabelIndex()).isEqualTo(2);
            assertThat(detector.probabilities(List.of(SHORT_TEXT))[0]).isCloseTo(1.0 / 3, within(1e-6));
        }
    }

    @Test
    void unknownLabelsNameTheOption(@TempDir Path directory) throws Exception {
        TinyBertCheckpoint.write(directory, List.of("LABEL_0", "LABEL_1"), new float[] {0f, 0f}, true, 4);

        assertThatThrownBy(() -> load(directory, Optional.empty()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("inference.models.test.options.ai-label")
                .hasMessageContaining("LABEL_0");
        assertThatThrownBy(() -> load(directory, Optional.of("robot")))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("no label 'robot'");
    }

    @Test
    void matchesNdArrayPoolerAndClassifier(@TempDir Path directory) throws Exception {
        TinyBertCheckpoint.write(directory, List.of("human", "ai"), new float[] {0.3f, -0.2f}, false, 5);

        double actual;
        try (SequenceClassifierDetector detector = load(directory, Optional.empty())) {
            actual = detector.probabilities(List.of(SHORT_TEXT))[0];
        }

        double expected;
        try (BertEncoder encoder = BertEncoder.load(directory, Device.cpu());
                TensorSource weights = Safetensors.open(directory);
                NDManager manager = NDManager.newBaseManager(Device.cpu(), InferenceEngine.ENGINE_NAME)) {
            TokenState state = encoder.forward(manager, List.of(SHORT_TEXT));
            NDArray cls = Pooling.CLS.apply(state); // [1, hidden]
            NDArray pooled = cls.matMul(weights.load("bert.pooler.dense.weight", manager).transpose())
                    .add(weights.load("bert.pooler.dense.bias", manager)).tanh();
            NDArray logits = pooled.matMul(weights.load("classifier.weight", manager).transpose())
                    .add(weights.load("classifier.bias", manager)); // [1, 2]
            expected = logits.softmax(1).get(new NDIndex("0, 1")).getFloat();
        }

        assertThat(actual).isCloseTo(expected, within(1e-5));
        assertThat(actual).isNotCloseTo(0.5, within(1e-3));
    }

    @Test
    void factoryBuildsServableModel(@TempDir Path directory) throws Exception {
        TinyBertCheckpoint.write(directory, List.of("human", "ai"), new float[] {0f, (float) Math.log(3)}, true, 6);
        ModelDefinition definition = new ModelDefinition("detector", SequenceClassifierModelFactory.TYPE, directory,
                Device.cpu(), Map.of("threshold", "0.6", "overlap-tokens", "2"));

        try (DetectorModel model = (DetectorModel) new SequenceClassifierModelFactory().create(definition)) {
            model.warmUp();
            List<DocumentScores> scores = model.predictBatch(List.of(
                    new DocumentInput(SHORT_TEXT, List.of(new TextSpan(0, 11), new TextSpan(12, 42)))));

            assertThat(model.detector().defaultThreshold()).isEqualTo(0.6);
            assertThat(model.parameterCount()).isGreaterThan(0);
            assertThat(scores).hasSize(1);
            assertThat(scores.get(0).probability()).isCloseTo(0.75, within(1e-6));
            assertThat(scores.get(0).sentenceProbabilities()).hasSize(2);
        }
    }
}
