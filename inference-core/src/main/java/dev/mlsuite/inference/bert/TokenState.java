package dev.mlsuite.inference.bert;

import ai.djl.ndarray.NDArray;

/**
 * The tokens of a batch at one point of the encoder: their hidden states, which positions are
 * real, and how many input tokens each position stands for once tokens have been merged.
 *
 * @param hiddenStates float32 {@code [batch, tokens, hidden]}
 * @param attentionMask float32 {@code [batch, tokens]}, 1 for real tokens and 0 for padding
 * @param tokenSizes float32 {@code [batch, tokens]}, the number of input tokens each position
 *     represents; {@code null} while every position is one input token
 */
public record TokenState(NDArray hiddenStates, NDArray attentionMask, NDArray tokenSizes) {

    public long batchSize() {
        return hiddenStates.getShape().get(0);
    }

    public long tokenCount() {
        return hiddenStates.getShape().get(1);
    }

    /** Returns the token sizes, all ones when no tokens have been merged. */
    public NDArray tokenSizesOrOnes() {
        return tokenSizes != null ? tokenSizes : attentionMask.onesLike();
    }
}
