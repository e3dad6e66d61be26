package dev.mlsuite.inference.llama;

import java.util.Objects;

/**
 * Shape and numerics of a LLaMA decoder, named as in Hugging Face's {@code LlamaConfig}.
 *
 * @param hiddenSize width of the residual stream ({@code dim} in llama2.c)
 * @param intermediateSize width of the SwiGLU MLP ({@code hidden_dim} in llama2.c)
 * @param numHiddenLayers number of decoder layers
 * @param numAttentionHeads number of query heads
 * @param numKeyValueHeads number of key and value heads; fewer than query heads means grouped-query attention
 * @param vocabSize number of token ids
 * @param maxPositionEmbeddings maximum sequence length, prompt plus generated tokens
 * @param rmsNormEps epsilon added to the mean square in RMSNorm
 * @param ropeTheta base of the rotary embedding frequencies
 * @param ropeStyle which dimensions rotate together
 * @param tieWordEmbeddings whether {@code lm_head} reuses {@code embed_tokens}
 */
public record LlamaConfig(
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int vocabSize,
        int maxPositionEmbeddings,
        float rmsNormEps,
        float ropeTheta,
        RopeStyle ropeStyle,
        boolean tieWordEmbeddings) {

    /** RMSNorm epsilon that llama2.c's {@code run.c} uses. */
    public static final float LLAMA2C_RMS_NORM_EPS = 1e-5f;
    /** Rotary base that llama2.c's {@code run.c} uses. */
    public static final float LLAMA2C_ROPE_THETA = 10000f;

    public LlamaConfig {
        requirePositive("hiddenSize", hiddenSize);
        requirePositive("intermediateSize", intermediateSize);
        requirePositive("numHiddenLayers", numHiddenLayers);
        requirePositive("numAttentionHeads", numAttentionHeads);
        requirePositive("numKeyValueHeads", numKeyValueHeads);
        requirePositive("vocabSize", vocabSize);
        requirePositive("maxPositionEmbeddings", maxPositionEmbeddings);
        Objects.requireNonNull(ropeStyle, "ropeStyle");
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("hiddenSize " + hiddenSize + " is not divisible by numAttentionHeads "
                    + numAttentionHeads);
        }
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException("numAttentionHeads " + numAttentionHeads
                    + " is not divisible by numKeyValueHeads " + numKeyValueHeads);
        }
        if ((hiddenSize / numAttentionHeads) % 2 != 0) {
            throw new IllegalArgumentException("head dimension " + hiddenSize / numAttentionHeads
                    + " is odd; rotary embeddings need an even head dimension");
        }
        if (!(rmsNormEps > 0f)) {
            throw new IllegalArgumentException("rmsNormEps must be positive, got " + rmsNormEps);
        }
        if (!(ropeTheta > 0f)) {
            throw new IllegalArgumentException("ropeTheta must be positive, got " + ropeTheta);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** Query heads that share one key/value head. */
    public int queriesPerKeyValueHead() {
        return numAttentionHeads / numKeyValueHeads;
    }
}
