package dev.mlsuite.inference.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.api.NDScopes;
import dev.mlsuite.inference.io.CheckpointException;
import dev.mlsuite.inference.io.Safetensors;
import dev.mlsuite.inference.io.TensorSource;
import dev.mlsuite.inference.io.onnx.OnnxInitializers;
import dev.mlsuite.inference.io.onnx.OnnxModel;
import dev.mlsuite.inference.tokenizer.TokenBatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour of the encoder on all-MiniLM-L6-v2 that the ONNX Runtime comparison does not cover. */
class BertEncoderTest {

    private static final List<String> TEXTS = List.of(
            "The committee approved the budget after a long debate.",
            "Rain is expected tomorrow.",
            "Students who read widely tend to write with a richer vocabulary and clearer structure.");

    private static BertEncoder encoder;
    private static NDManager manager;

    @BeforeAll
    static void loadEncoder() throws IOException {
        encoder = BertEncoder.loadAllMiniLmL6V2(Device.cpu());
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void close() {
        manager.close();
        encoder.close();
    }

    @Test
    void embeddingDoesNotDependOnBatchPadding() {
        float[][] batched = encoder.embed(TEXTS);

        for (int i = 0; i < TEXTS.size(); i++) {
            float[] alone = encoder.embed(List.of(TEXTS.get(i)))[0];
            assertThat(maxDifference(alone, batched[i])).as(TEXTS.get(i)).isLessThan(1e-5);
        }
    }

    @Test
    void normalizedEmbeddingsHaveUnitLength() {
        for (float[] embedding : encoder.embed(TEXTS)) {
            double norm = 0;
            for (float value : embedding) {
                norm += value * value;
            }
            assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void similarSentencesAreCloserThanUnrelatedOnes() {
        float[][] embeddings = encoder.embed(List.of(
                "A man is playing a guitar.",
                "Someone plays an acoustic guitar.",
                "The stock market fell sharply today."));

        assertThat(dot(embeddings[0], embeddings[1])).isGreaterThan(dot(embeddings[0], embeddings[2]) + 0.3);
    }

    @Test
    void emptyTextListGivesNoEmbeddings() {
        assertThat(encoder.embed(List.of())).isEmpty();
    }

    @Test
    void hookRunsOncePerLayerBetweenBlocks() {
        List<Integer> layers = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        TokenBatch batch = encoder.tokenizer().encodeBatch(TEXTS);

        try (NDManager call = manager.newSubManager()) {
            encoder.forward(call, batch, (layerIndex, state) -> {
                layers.add(layerIndex);
                shapes.add(state.hiddenStates().getShape());
                return state;
            });
        }

        assertThat(layers).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(shapes).containsOnly(new Shape(3, batch.sequenceLength(), 384));
    }

    @Test
    void hookOutputReachesFeedForwardBlock() {
        TokenBatch batch = encoder.tokenizer().encodeBatch(TEXTS);

        try (NDManager call = manager.newSubManager()) {
            float[] plain = encoder.forward(call, batch, BertLayerHook.NONE).hiddenStates().toFloatArray();
            float[] changed = encoder.forward(call, batch, (layerIndex, state) -> layerIndex != 5
                    ? state
                    : new TokenState(state.hiddenStates().mul(0), state.attentionMask(), state.tokenSizes()))
                    .hiddenStates().toFloatArray();

            assertThat(maxDifference(plain, changed)).isGreaterThan(0.1);
        }
    }

    @Test
    void unitTokenSizesLeaveOutputUnchanged() {
        // Proportional attention adds log(size) to the scores, which is 0 for tokens of size 1.
        TokenBatch batch = encoder.tokenizer().encodeBatch(TEXTS);

        try (NDManager call = manager.newSubManager()) {
            TokenState plain = encoder.forward(call, batch, BertLayerHook.NONE);
            TokenState sized = encoder.forward(call, batch, (layerIndex, state) -> new TokenState(
                    state.hiddenStates(), state.attentionMask(), state.attentionMask().onesLike()));

            assertThat(sized.tokenSizes()).isNotNull();
            assertThat(maxDifference(plain.hiddenStates().toFloatArray(), sized.hiddenStates().toFloatArray()))
                    .isLessThan(1e-5);
        }
    }

    @Test
    void tokenSizesWeightMeanPooling() {
        try (NDManager call = manager.newSubManager()) {
            NDArray hidden = call.create(new float[] {1, 10, 3, 30, 100, 1000}, new Shape(1, 3, 2));
            NDArray mask = call.create(new float[] {1, 1, 0}, new Shape(1, 3));
            NDArray sizes = call.create(new float[] {3, 1, 1}, new Shape(1, 3));

            NDArray pooled = Pooling.MEAN.apply(new TokenState(hidden, mask, sizes));

            // (3 * [1, 10] + 1 * [3, 30]) / 4, and the padding position is ignored.
            assertThat(pooled.toFloatArray()).containsExactly(1.5f, 15f);
        }
    }

    @Test
    void forwardAttachesResultsToCallerManager() {
        NDArray hidden;
        try (NDManager call = manager.newSubManager()) {
            TokenState state = encoder.forward(call, TEXTS);
            hidden = state.hiddenStates();
            assertThat(hidden.getManager()).isSameAs(call);
            assertThat(state.attentionMask().getManager()).isSameAs(call);
            assertThat(hidden.isReleased()).isFalse();
        }
        assertThat(hidden.isReleased()).isTrue();
    }

    @Test
    void concurrentCallsMatchSequentialResults() throws Exception {
        float[][] expected = encoder.embed(TEXTS);

        ExecutorService executor = Executors.newFixedThreadPool(3);
        try {
            List<Future<float[][]>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(executor.submit(() -> encoder.embed(TEXTS)));
            }
            for (Future<float[][]> future : futures) {
                float[][] actual = future.get();
                for (int row = 0; row < expected.length; row++) {
                    assertThat(maxDifference(actual[row], expected[row])).isLessThan(1e-6);
                }
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void repeatedCallsLeaveNoOpenArrays() {
        NDManager weights = encoder.weightsManager();
        int before = NDScopes.openArrayCount(weights);

        for (int i = 0; i < 3; i++) {
            encoder.embed(TEXTS);
            encoder.embed(TEXTS, Pooling.CLS, false);
            try (NDManager call = manager.newSubManager()) {
                encoder.forward(call, TEXTS);
            }
        }

        assertThat(NDScopes.openArrayCount(weights)).isEqualTo(before);
    }

    @Test
    void tokenIdOutsideVocabularyIsRejected() {
        TokenBatch batch = TokenBatch.pad(new long[][] {{101, 30522, 102}}, 0);

        assertThatThrownBy(() -> encoder.forward(manager, batch, BertLayerHook.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token id 30522 at position 1 is outside [0, 30522)");
    }

    @Test
    void sequenceLongerThanPositionTableIsRejected() {
        long[] ids = new long[513];
        TokenBatch batch = TokenBatch.pad(new long[][] {ids}, 0);

        assertThatThrownBy(() -> encoder.forward(manager, batch, BertLayerHook.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sequence of 513 tokens exceeds max_position_embeddings 512");
    }

    @Test
    void safetensorsCheckpointGivesSameEmbeddings(@TempDir Path directory) throws IOException {
        writeHuggingFaceLayout(directory, "bert.", false);

        try (BertEncoder fromSafetensors = BertEncoder.load(directory, Device.cpu())) {
            float[][] expected = encoder.embed(TEXTS);
            float[][] actual = fromSafetensors.embed(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(actual[i]).containsExactly(expected[i]);
            }
        }
    }

    @Test
    void shardedCheckpointGivesSameEmbeddings(@TempDir Path directory) throws IOException {
        writeHuggingFaceLayout(directory, "", true);

        try (BertEncoder fromShards = BertEncoder.load(directory, Device.cpu())) {
            assertThat(fromShards.embed(TEXTS)[1]).containsExactly(encoder.embed(TEXTS)[1]);
        }
    }

    @Test
    void missingLayerWeightIsNamed(@TempDir Path directory) throws IOException {
        writeHuggingFaceLayout(directory, "", false);
        Path file = directory.resolve(Safetensors.SINGLE_FILE_NAME);
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> tensors = new HashMap<>();
            try (TensorSource source = Safetensors.open(file)) {
                for (String name : source.names()) {
                    if (!name.equals("encoder.layer.4.output.dense.weight")) {
                        tensors.put(name, source.load(name, scope));
                    }
                }
            }
            Safetensors.write(file, tensors, Map.of());
        }

        assertThatThrownBy(() -> BertEncoder.load(directory, Device.cpu()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("tensor 'encoder.layer.4.output.dense.weight' not found");
    }

    /** Writes the MiniLM weights, config and tokenizer as a Hugging Face model directory. */
    private static void writeHuggingFaceLayout(Path directory, String prefix, boolean sharded) throws IOException {
        OnnxModel onnx;
        try (InputStream input = resource(BertEncoder.MINILM_ONNX_RESOURCE)) {
            onnx = OnnxModel.read(input, BertEncoder.MINILM_ONNX_RESOURCE);
        }
        try (InputStream input = resource(BertEncoder.MINILM_TOKENIZER_RESOURCE)) {
            Files.copy(input, directory.resolve("tokenizer.json"));
        }
        try (InputStream input = BertEncoder.class.getResourceAsStream("all-minilm-l6-v2-config.json")) {
            Files.copy(input, directory.resolve("config.json"));
        }

        try (NDManager scope = manager.newSubManager();
                OnnxInitializers initializers = OnnxInitializers.withRecoveredLinearWeights(onnx)) {
            Map<String, NDArray> first = new HashMap<>();
            Map<String, NDArray> second = new HashMap<>();
            for (String name : initializers.names()) {
                boolean inSecondShard = sharded && name.startsWith("encoder.layer.") && !name.startsWith("encoder.layer.0.");
                (inSecondShard ? second : first).put(prefix + name, initializers.load(name, scope));
            }
            if (!sharded) {
                Safetensors.write(directory.resolve(Safetensors.SINGLE_FILE_NAME), first, Map.of("format", "pt"));
                return;
            }
            Safetensors.write(directory.resolve("model-00001-of-00002.safetensors"), first, Map.of());
            Safetensors.write(directory.resolve("model-00002-of-00002.safetensors"), second, Map.of());
            StringBuilder weightMap = new StringBuilder();
            first.keySet().forEach(name -> weightMap.append(",\"").append(name)
                    .append("\":\"model-00001-of-00002.safetensors\""));
            second.keySet().forEach(name -> weightMap.append(",\"").append(name)
                    .append("\":\"model-00002-of-00002.safetensors\""));
            Files.writeString(directory.resolve(Safetensors.INDEX_FILE_NAME),
                    "{\"weight_map\":{" + weightMap.substring(1) + "}}");
        }
    }

    private static InputStream resource(String name) {
        InputStream input = BertEncoderTest.class.getClassLoader().getResourceAsStream(name);
        assertThat(input).as(name + " on the test classpath").isNotNull();
        return input;
    }

    private static double maxDifference(float[] first, float[] second) {
        assertThat(first).hasSameSizeAs(second);
        double max = 0;
        for (int i = 0; i < first.length; i++) {
            max = Math.max(max, Math.abs(first[i] - second[i]));
        }
        return max;
    }

    private static double dot(float[] first, float[] second) {
        double sum = 0;
        for (int i = 0; i < first.length; i++) {
            sum += first[i] * second[i];
        }
        return sum;
    }
}
