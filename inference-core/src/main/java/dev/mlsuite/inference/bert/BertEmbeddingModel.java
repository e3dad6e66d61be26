package dev.mlsuite.inference.bert;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.mlsuite.inference.api.InferenceModel;
import dev.mlsuite.inference.api.StagedBatchPredictor;
import dev.mlsuite.inference.tokenizer.TokenBatch;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link BertEncoder} served as a model of the registry: texts in, one pooled embedding of
 * {@code hidden_size} floats per text out. The encoder stays reachable through {@link #encoder()}
 * for callers that need token states, such as a classification head.
 */
public final class BertEmbeddingModel implements InferenceModel, StagedBatchPredictor<String, TokenBatch, TokenState, float[]> {

    private static final String WARM_UP_TEXT = "Warm-up sentence for the encoder.";

    private final String name;
    private final String version;
    private final BertEncoder encoder;
    private final Pooling pooling;
    private final boolean normalize;
    private final BertLayerHook layerHook;
    private volatile boolean closed;

    /** Wraps {@code encoder}, which this model closes in {@link #close()}. */
    public BertEmbeddingModel(String name, String version, BertEncoder encoder, Pooling pooling, boolean normalize) {
        this(name, version, encoder, pooling, normalize, BertLayerHook.NONE);
    }

    /**
     * Wraps {@code encoder}, which this model closes in {@link #close()}, and runs {@code layerHook}
     * in every layer of every batch, such as a token-reduction hook that is safe for concurrent calls.
     */
    public BertEmbeddingModel(String name, String version, BertEncoder encoder, Pooling pooling, boolean normalize,
            BertLayerHook layerHook) {
        this.name = name;
        this.version = version;
        this.encoder = encoder;
        this.pooling = pooling;
        this.normalize = normalize;
        this.layerHook = layerHook;
    }

    public BertEncoder encoder() {
        return encoder;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public Device device() {
        return encoder.device();
    }

    @Override
    public long parameterCount() {
        return encoder.parameterCount();
    }

    @Override
    public void warmUp() {
        float[][] embedding = encoder.embed(List.of(WARM_UP_TEXT), pooling, normalize);
        if (embedding.length != 1 || embedding[0].length != encoder.config().hiddenSize()
                || !Float.isFinite(embedding[0][0])) {
            throw new IllegalStateException("Warm-up of model '" + name + "' returned an invalid embedding: "
                    + Arrays.toString(Arrays.copyOf(embedding[0], Math.min(4, embedding[0].length))));
        }
    }

    @Override
    public NDManager manager() {
        return encoder.weightsManager();
    }

    @Override
    public TokenBatch preprocess(NDManager batchManager, List<String> inputs) {
        return encoder.tokenizer().encodeBatch(inputs);
    }

    @Override
    public TokenState forward(NDManager batchManager, TokenBatch batch) {
        return encoder.forward(batchManager, batch, layerHook);
    }

    @Override
    public List<float[]> postprocess(NDManager batchManager, TokenState result, List<String> inputs) {
        float[][] rows = BertEncoder.pool(result, pooling, normalize);
        return List.of(rows);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        encoder.close();
    }
}
