package dev.mlsuite.inference.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import dev.mlsuite.inference.io.Checkpoint;
import java.util.ArrayList;
import java.util.List;

/** CLIP's text tower ({@code text_model.*}) and {@code text_projection}: a causal transformer. */
final class ClipTextTransformer {

    /** Added to the scores of future positions; large enough that softmax gives them zero weight. */
    private static final float MASKED_SCORE = -1e9f;

    private final ClipConfig config;
    private final NDArray tokenEmbedding; // [vocab, hidden]
    private final NDArray positionEmbedding; // [maxPositions, hidden]
    private final List<ClipEncoderLayer> layers;
    private final ClipLayerNorm finalNorm;
    private final ClipLinear projection;

    private ClipTextTransformer(ClipConfig config, NDArray tokenEmbedding, NDArray positionEmbedding,
            List<ClipEncoderLayer> layers, ClipLayerNorm finalNorm, ClipLinear projection) {
        this.config = config;
        this.tokenEmbedding = tokenEmbedding;
        this.positionEmbedding = positionEmbedding;
        this.layers = layers;
        this.finalNorm = finalNorm;
        this.projection = projection;
    }

    static ClipTextTransformer load(Checkpoint checkpoint, ClipConfig config, NDManager manager) {
        ClipConfig.ClipEncoderConfig text = config.text();
        int hidden = text.hiddenSize();
        String prefix = "text_model.";

        NDArray tokenEmbedding = checkpoint.loadFloat(prefix + "embeddings.token_embedding.weight", manager,
                config.vocabSize(), hidden);
        NDArray positionEmbedding = checkpoint.loadFloat(prefix + "embeddings.position_embedding.weight", manager,
                config.maxPositionEmbeddings(), hidden);
        List<ClipEncoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < text.layers(); i++) {
            layers.add(ClipEncoderLayer.load(checkpoint, prefix + "encoder.layers." + i + ".", text, manager));
        }
        ClipLayerNorm finalNorm = ClipLayerNorm.load(checkpoint, prefix + "final_layer_norm", hidden,
                text.layerNormEps(), manager);
        ClipLinear projection = ClipLinear.loadWithoutBias(checkpoint, "text_projection", hidden,
                config.projectionDim(), manager);
        return new ClipTextTransformer(config, tokenEmbedding, positionEmbedding, List.copyOf(layers), finalNorm,
                projection);
    }

    /**
     * Returns the hidden states after {@code final_layer_norm}. Each position attends only to itself
     * and earlier positions, so right padding does not change the real tokens.
     *
     * @param ids {@code [batch, tokens]} token ids (int64), at most {@code max_position_embeddings} tokens
     * @return {@code [batch, tokens, hidden]}
     */
    NDArray hiddenStates(NDArray ids) {
        long tokens = ids.getShape().get(1);
        NDManager manager = ids.getManager();

        NDArray tokensEmbedded = ids.getNDArrayInternal().embedding(ids, tokenEmbedding, SparseFormat.DENSE)
                .singletonOrThrow(); // [batch, tokens, hidden]
        NDArray embedded = tokensEmbedded.add(positionEmbedding.get(new NDIndex("0:{}", tokens)));
        NDArray causalBias = causalBias(manager, (int) tokens);
        NDArray hiddenStates = embedded;
        for (ClipEncoderLayer layer : layers) {
            hiddenStates = layer.forward(hiddenStates, causalBias);
        }
        return finalNorm.apply(hiddenStates);
    }

    /**
     * Returns the projected text embeddings, pooled at the end-of-text position of each row.
     *
     * @param hiddenStates {@code [batch, tokens, hidden]} from {@link #hiddenStates}
     * @param poolPositions per row, the index of the end-of-text token
     * @return {@code [batch, projection]}
     */
    NDArray project(NDArray hiddenStates, int[] poolPositions) {
        long batch = hiddenStates.getShape().get(0);
        NDArray pooled = hiddenStates.getManager().create(new Shape(batch, config.text().hiddenSize()));
        for (int row = 0; row < batch; row++) {
            pooled.set(new NDIndex("{}, :", row), hiddenStates.get(new NDIndex("{}, {}, :", row, poolPositions[row])));
        }
        return projection.apply(pooled);
    }

    private static NDArray causalBias(NDManager manager, int tokens) {
        float[] bias = new float[tokens * tokens];
        for (int query = 0; query < tokens; query++) {
            for (int key = query + 1; key < tokens; key++) {
                bias[query * tokens + key] = MASKED_SCORE;
            }
        }
        return manager.create(bias, new Shape(1, 1, tokens, tokens));
    }
}
