package dev.mlsuite.inference.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mlsuite.inference.io.Checkpoint;

/** First feed-forward projection and its activation ({@code intermediate.*}). */
final class BertIntermediate {

    private final LinearWeights dense; // weight [intermediate, hidden]
    private final FeedForwardActivation activation;

    private BertIntermediate(LinearWeights dense, FeedForwardActivation activation) {
        this.dense = dense;
        this.activation = activation;
    }

    static BertIntermediate load(Checkpoint checkpoint, String prefix, BertConfig config, NDManager manager) {
        return new BertIntermediate(
                LinearWeights.load(checkpoint, prefix + "dense", config.hiddenSize(), config.intermediateSize(),
                        manager),
                FeedForwardActivation.of(config.hiddenAct()));
    }

    /** Maps {@code [batch, tokens, hidden]} to {@code [batch, tokens, intermediate]}. */
    NDArray forward(NDArray hiddenStates) {
        return activation.apply(dense.apply(hiddenStates));
    }
}
