package dev.mlsuite.inference.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mlsuite.inference.io.Checkpoint;

/** Output projection of the attention block with residual and post-LayerNorm ({@code attention.output.*}). */
final class BertSelfOutput {

    private final LinearWeights dense;
    private final LayerNormWeights layerNorm;

    private BertSelfOutput(LinearWeights dense, LayerNormWeights layerNorm) {
        this.dense = dense;
        this.layerNorm = layerNorm;
    }

    static BertSelfOutput load(Checkpoint checkpoint, String prefix, BertConfig config, NDManager manager) {
        int hidden = config.hiddenSize();
        return new BertSelfOutput(
                LinearWeights.load(checkpoint, prefix + "dense", hidden, hidden, manager),
                LayerNormWeights.load(checkpoint, prefix + "LayerNorm", hidden, config.layerNormEps(), manager));
    }

    /** Returns {@code LayerNorm(dense(context) + residual)}, {@code [batch, tokens, hidden]}. */
    NDArray forward(NDArray context, NDArray residual) {
        return layerNorm.apply(dense.apply(context).add(residual));
    }
}
