package dev.mlsuite.inference.bert;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.mlsuite.inference.tokenizer.TokenBatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Compares the NDArray implementation on all-MiniLM-L6-v2 with ONNX Runtime running the same ONNX
 * file on the same token ids. Texts go through in batches of {@value #BATCH_SIZE}, so rows are padded
 * to different lengths.
 */
class BertEncoderParityTest {

    private static final double TOLERANCE = 1e-4;
    private static final int BATCH_SIZE = 8;
    private static final int HIDDEN = 384;
    private static final Logger log = LoggerFactory.getLogger(BertEncoderParityTest.class);

    @TempDir
    static Path directory;

    private static BertEncoder encoder;
    private static Model onnxRuntimeModel;
    private static Predictor<NDList, NDList> onnxRuntime;
    private static List<String> texts;
    private static List<TokenBatch> batches;
    private static List<float[]> onnxRuntimeHiddenStates;

    @BeforeAll
    static void loadModels() throws IOException, MalformedModelException, TranslateException {
        encoder = BertEncoder.loadAllMiniLmL6V2(Device.cpu());

        Path onnxFile = directory.resolve("all-minilm-l6-v2.onnx");
        try (InputStream input = BertEncoderParityTest.class.getClassLoader()
                .getResourceAsStream(BertEncoder.MINILM_ONNX_RESOURCE)) {
            Files.copy(input, onnxFile);
        }
        onnxRuntimeModel = Model.newInstance("all-minilm-l6-v2", Device.cpu(), "OnnxRuntime");
        onnxRuntimeModel.load(onnxFile);
        onnxRuntime = onnxRuntimeModel.newPredictor(new NoopTranslator());

        texts = new ArrayList<>();
        try (InputStream input = BertEncoderParityTest.class.getResourceAsStream("parity-texts.json")) {
            JsonNode entries = JsonMapper.builder().build().readTree(input);
            entries.forEach(entry -> texts.add(entry.get("text").stringValue()));
        }
        texts.add("");
        texts.add("Fine.");
        texts.add("Crème brûlée at the café costs 5 € 😀, naïvely priced!");
        texts.add("   leading and trailing spaces   ");

        batches = new ArrayList<>();
        onnxRuntimeHiddenStates = new ArrayList<>();
        for (int start = 0; start < texts.size(); start += BATCH_SIZE) {
            TokenBatch batch = encoder.tokenizer().encodeBatch(texts.subList(start, Math.min(start + BATCH_SIZE,
                    texts.size())));
            batches.add(batch);
            onnxRuntimeHiddenStates.add(runOnnxRuntime(batch));
        }
    }

    @AfterAll
    static void close() {
        onnxRuntime.close();
        onnxRuntimeModel.close();
        encoder.close();
    }

    @Test
    void usesAtLeastFiftyTexts() {
        assertThat(texts).hasSizeGreaterThanOrEqualTo(50);
    }

    @Test
    void lastHiddenStateMatchesOnnxRuntime() {
        double maxDifference = 0;
        int comparedTokens = 0;
        for (int index = 0; index < batches.size(); index++) {
            TokenBatch batch = batches.get(index);
            float[] expected = onnxRuntimeHiddenStates.get(index);
            float[] actual;
            try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                TokenState state = encoder.forward(manager, batch, BertLayerHook.NONE);
                assertThat(state.hiddenStates().getShape())
                        .isEqualTo(new Shape(batch.batchSize(), batch.sequenceLength(), HIDDEN));
                actual = state.hiddenStates().toFloatArray();
            }

            for (int row = 0; row < batch.batchSize(); row++) {
                for (int token = 0; token < batch.tokenCount(row); token++) {
                    int offset = (row * batch.sequenceLength() + token) * HIDDEN;
                    for (int i = offset; i < offset + HIDDEN; i++) {
                        maxDifference = Math.max(maxDifference, Math.abs(actual[i] - expected[i]));
                    }
                    comparedTokens++;
                }
            }
        }

        log.info("Last hidden state: max absolute difference {} over {} tokens", maxDifference, comparedTokens);
        assertThat(comparedTokens).isGreaterThan(texts.size() * 10);
        assertThat(maxDifference).as("max absolute difference over %d tokens", comparedTokens)
                .isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void meanPooledEmbeddingsMatchOnnxRuntime() {
        float[][] expected = referenceMeanPooling();

        float[][] actual = embedInBatches(Pooling.MEAN, false);

        assertThat(actual).hasNumberOfRows(texts.size());
        double maxDifference = maxDifference(actual, expected);
        log.info("Mean pooling: max absolute difference {} over {} texts", maxDifference, texts.size());
        assertThat(maxDifference).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void normalizedEmbeddingsMatchOnnxRuntime() {
        float[][] expected = referenceMeanPooling();
        for (float[] row : expected) {
            double norm = 0;
            for (float value : row) {
                norm += value * value;
            }
            for (int i = 0; i < row.length; i++) {
                row[i] /= (float) Math.sqrt(norm);
            }
        }

        float[][] actual = embedInBatches(Pooling.MEAN, true);

        assertThat(maxDifference(actual, expected)).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void clsPoolingMatchesFirstTokenOfOnnxRuntime() {
        List<String> sample = texts.subList(0, BATCH_SIZE);
        TokenBatch batch = batches.get(0);
        float[] hidden = onnxRuntimeHiddenStates.get(0);
        float[][] expected = new float[sample.size()][];
        for (int row = 0; row < sample.size(); row++) {
            int offset = row * batch.sequenceLength() * HIDDEN;
            expected[row] = java.util.Arrays.copyOfRange(hidden, offset, offset + HIDDEN);
        }

        float[][] actual = encoder.embed(sample, Pooling.CLS, false);

        assertThat(maxDifference(actual, expected)).isLessThanOrEqualTo(TOLERANCE);
    }

    /** Mean of ONNX Runtime's last hidden state over each text's real tokens, computed in plain Java. */
    private static float[][] referenceMeanPooling() {
        float[][] pooled = new float[texts.size()][HIDDEN];
        for (int index = 0; index < batches.size(); index++) {
            TokenBatch batch = batches.get(index);
            float[] hidden = onnxRuntimeHiddenStates.get(index);
            int start = index * BATCH_SIZE;
            for (int row = 0; row < batch.batchSize(); row++) {
                int tokens = batch.tokenCount(row);
                for (int token = 0; token < tokens; token++) {
                    int offset = (row * batch.sequenceLength() + token) * HIDDEN;
                    for (int i = 0; i < HIDDEN; i++) {
                        pooled[start + row][i] += hidden[offset + i] / tokens;
                    }
                }
            }
        }
        return pooled;
    }

    private static float[][] embedInBatches(Pooling pooling, boolean normalize) {
        List<float[]> rows = new ArrayList<>();
        for (int start = 0; start < texts.size(); start += BATCH_SIZE) {
            rows.addAll(List.of(encoder.embed(texts.subList(start, Math.min(start + BATCH_SIZE, texts.size())),
                    pooling, normalize)));
        }
        return rows.toArray(new float[0][]);
    }

    /** Runs ONNX Runtime on a batch and returns its last hidden state, flattened {@code [batch, tokens, hidden]}. */
    private static float[] runOnnxRuntime(TokenBatch batch) throws TranslateException {
        try (NDManager manager = onnxRuntimeModel.getNDManager().newSubManager()) {
            Shape shape = new Shape(batch.batchSize(), batch.sequenceLength());
            NDArray inputIds = manager.create(batch.inputIds(), shape);
            inputIds.setName("input_ids");
            NDArray attentionMask = manager.create(batch.attentionMask(), shape);
            attentionMask.setName("attention_mask");
            NDArray tokenTypeIds = manager.create(batch.tokenTypeIds(), shape);
            tokenTypeIds.setName("token_type_ids");

            NDList output = onnxRuntime.predict(new NDList(inputIds, attentionMask, tokenTypeIds));
            NDArray lastHiddenState = output.get(0);
            assertThat(lastHiddenState.getShape())
                    .isEqualTo(new Shape(batch.batchSize(), batch.sequenceLength(), HIDDEN));
            float[] values = lastHiddenState.toFloatArray();
            output.close();
            return values;
        }
    }

    private static double maxDifference(float[][] actual, float[][] expected) {
        assertThat(actual.length).isEqualTo(expected.length);
        double max = 0;
        for (int row = 0; row < actual.length; row++) {
            assertThat(actual[row]).hasSameSizeAs(expected[row]);
            for (int i = 0; i < actual[row].length; i++) {
                max = Math.max(max, Math.abs(actual[row][i] - expected[row][i]));
            }
        }
        return max;
    }
}
