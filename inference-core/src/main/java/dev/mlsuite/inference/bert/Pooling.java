package dev.mlsuite.inference.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** Reduction of the encoder's token states to one vector per text. */
public enum Pooling {

    /**
     * Mean of the hidden states of the real tokens, each weighted by its token size, as
     * sentence-transformers computes it for all-MiniLM-L6-v2.
     */
    MEAN,
    /** Hidden state of the first token ({@code [CLS]}). */
    CLS;

    /** Smallest divisor of the mean, so a row without real tokens gives zeros rather than NaN. */
    private static final float MIN_WEIGHT_SUM = 1e-9f;

    /** Pools {@code state.hiddenStates() [batch, tokens, hidden]} to {@code [batch, hidden]}. */
    public NDArray apply(TokenState state) {
        NDArray hidden = state.hiddenStates();
        if (this == CLS) {
            return hidden.get(new NDIndex(":, 0, :"));
        }
        NDArray weights = state.attentionMask().mul(state.tokenSizesOrOnes()); // [batch, tokens]
        NDArray weightedSum = hidden.mul(weights.expandDims(2)).sum(new int[] {1}); // [batch, hidden]
        NDArray weightTotal = weights.sum(new int[] {1}, true).maximum(MIN_WEIGHT_SUM); // [batch, 1]
        return weightedSum.div(weightTotal);
    }
}
