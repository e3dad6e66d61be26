package dev.mlsuite.inference.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mlsuite.inference.io.Checkpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The BERT encoder stack with Hugging Face parameter names: embeddings, then
 * {@code num_hidden_layers} layers. The pooler ({@code pooler.dense.*}) is not loaded because
 * sentence embeddings and classification heads here use {@link Pooling} instead.
 */
final class BertModel {

    /** Prefix of the encoder's parameters in task checkpoints such as {@code BertForSequenceClassification}. */
    static final String TASK_MODEL_PREFIX = "bert.";

    private final BertConfig config;
    private final BertEmbeddings embeddings;
    private final List<BertLayer> layers;

    private BertModel(BertConfig config, BertEmbeddings embeddings, List<BertLayer> layers) {
        this.config = config;
        this.embeddings = embeddings;
        this.layers = layers;
    }

    /**
     * Loads all weights into {@code manager}. Parameter names may carry the prefix {@code bert.}.
     *
     * @throws dev.mlsuite.inference.io.CheckpointException if a tensor is missing or has the wrong shape
     */
    static BertModel load(Checkpoint checkpoint, BertConfig config, NDManager manager) {
        String prefix = checkpoint.contains(TASK_MODEL_PREFIX + "embeddings.word_embeddings.weight")
                ? TASK_MODEL_PREFIX
                : "";
        BertEmbeddings embeddings = BertEmbeddings.load(checkpoint, prefix + "embeddings.", config, manager);
        List<BertLayer> layers = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(BertLayer.load(checkpoint, prefix, i, config, manager));
        }
        return new BertModel(config, embeddings, Collections.unmodifiableList(layers));
    }

    BertConfig config() {
        return config;
    }

    /**
     * Runs the encoder. All arrays it creates belong to the manager of {@code inputIds}.
     *
     * @param inputIds int64 {@code [batch, tokens]}
     * @param tokenTypeIds int64 {@code [batch, tokens]}
     * @param attentionMask float32 {@code [batch, tokens]}, 1 for real tokens and 0 for padding
     * @return the last layer's state; its hidden states are the last hidden state {@code [batch, tokens', hidden]}
     */
    TokenState forward(NDArray inputIds, NDArray tokenTypeIds, NDArray attentionMask, BertLayerHook hook) {
        TokenState state = new TokenState(embeddings.forward(inputIds, tokenTypeIds), attentionMask, null);
        for (BertLayer layer : layers) {
            state = layer.forward(state, hook);
        }
        return state;
    }
}
