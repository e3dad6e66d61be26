package dev.mlsuite.inference.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mlsuite.inference.io.Checkpoint;

/** Second feed-forward projection with residual and post-LayerNorm ({@code output.*} of a layer). */
final class BertOutput {

    private final LinearWeights dense; // weight [hidden, intermediate]
    private final LayerNormWeights layerNorm;

    private BertOutput(LinearWeights dense, LayerNormWeights layerNorm) {
        this.dense = dense;
        this.layerNorm = layerNorm;
    }

    static BertOutput load(Checkpoint checkpoint, String prefix, BertConfig config, NDManager manager) {
        int hidden = config.hiddenSize();
        return new BertOutput(
                LinearWeights.load(checkpoint, prefix + "dense", config.intermediateSize(), hidden, manager),
                LayerNormWeights.load(checkpoint, prefix + "LayerNorm", hidden, config.layerNormEps(), manager));
    }

    /** Returns {@code LayerNorm(dense(intermediate) + residual)}, {@code [batch, tokens, hidden]}. */
    NDArray forward(NDArray intermediate, NDArray residual) {
        return layerNorm.apply(dense.apply(intermediate).add(residual));
    }
}
