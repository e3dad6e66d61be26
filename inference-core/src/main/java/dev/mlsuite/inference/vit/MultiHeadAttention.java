package dev.mlsuite.inference.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multi-head scaled dot-product attention with biased {@code q_proj}, {@code k_proj}, {@code v_proj}
 * and {@code out_proj}, as in Hugging Face's CLIP and ViT attention modules. Queries and keys may
 * come from different token sets, which makes it a cross-attention.
 */
public final class MultiHeadAttention {

    private final int numHeads;
    private final int headDim;
    private final Linear queryProjection;
    private final Linear keyProjection;
    private final Linear valueProjection;
    private final Linear outputProjection;

    public MultiHeadAttention(VitWeights weights, String prefix, int hidden, int numHeads) {
        if (hidden % numHeads != 0) {
            throw new IllegalArgumentException("hidden size " + hidden + " is not divisible by " + numHeads + " heads");
        }
        this.numHeads = numHeads;
        this.headDim = hidden / numHeads;
        this.queryProjection = new Linear(weights, prefix + ".q_proj", hidden, hidden);
        this.keyProjection = new Linear(weights, prefix + ".k_proj", hidden, hidden);
        this.valueProjection = new Linear(weights, prefix + ".v_proj", hidden, hidden);
        this.outputProjection = new Linear(weights, prefix + ".out_proj", hidden, hidden);
    }

    /** Self-attention of {@code x [batch, tokens, hidden]}; {@code mask} is additive or null. */
    public NDArray forward(NDArray x, NDArray mask) {
        return forward(x, x, mask);
    }

    /**
     * Attends from {@code queries [batch, queryTokens, hidden]} to {@code keysAndValues
     * [batch, keyTokens, hidden]}.
     *
     * @param mask additive mask broadcastable to {@code [batch, heads, queryTokens, keyTokens]}, or null
     * @return {@code [batch, queryTokens, hidden]}
     */
    public NDArray forward(NDArray queries, NDArray keysAndValues, NDArray mask) {
        NDArray q = splitHeads(queryProjection.forward(queries)); // [batch, heads, queryTokens, headDim]
        NDArray k = splitHeads(keyProjection.forward(keysAndValues)); // [batch, heads, keyTokens, headDim]
        NDArray v = splitHeads(valueProjection.forward(keysAndValues));

        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div((float) Math.sqrt(headDim));
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray context = scores.softmax(-1).matMul(v); // [batch, heads, queryTokens, headDim]
        Shape shape = queries.getShape();
        NDArray merged = context.transpose(0, 2, 1, 3).reshape(shape.get(0), shape.get(1), (long) numHeads * headDim);
        return outputProjection.forward(merged);
    }

    private NDArray splitHeads(NDArray x) {
        Shape shape = x.getShape(); // [batch, tokens, hidden]
        return x.reshape(shape.get(0), shape.get(1), numHeads, headDim).transpose(0, 2, 1, 3);
    }
}
