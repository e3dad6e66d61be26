package dev.mlsuite.inference.llama;

import ai.djl.ndarray.NDArray;

/** Pre-norm decoder block: {@code h = x + attn(norm(x))}, then {@code h + mlp(norm(h))}. */
final class LlamaDecoderLayer {

    private final RmsNorm inputLayerNorm;
    private final LlamaAttention selfAttention;
    private final RmsNorm postAttentionLayerNorm;
    private final LlamaMlp mlp;

    LlamaDecoderLayer(RmsNorm inputLayerNorm, LlamaAttention selfAttention, RmsNorm postAttentionLayerNorm,
            LlamaMlp mlp) {
        this.inputLayerNorm = inputLayerNorm;
        this.selfAttention = selfAttention;
        this.postAttentionLayerNorm = postAttentionLayerNorm;
        this.mlp = mlp;
    }

    /** Maps the residual stream {@code [batch, tokens, hidden]} to the next block's input. */
    NDArray forward(NDArray residual, BatchLayout layout, RotaryEmbedding.Angles angles, NDArray mask) {
        NDArray attended = selfAttention.forward(inputLayerNorm.forward(residual), layout, angles, mask);
        NDArray afterAttention = residual.add(attended);

        return afterAttention.add(mlp.forward(postAttentionLayerNorm.forward(afterAttention)));
    }

    /** Like {@link #forward} but over whole sequences without a KV cache; {@code mask} is additive. */
    NDArray forwardWithoutCache(NDArray residual, RotaryEmbedding.Angles angles, NDArray mask) {
        NDArray attended = selfAttention.forwardWithoutCache(inputLayerNorm.forward(residual), angles, mask);
        NDArray afterAttention = residual.add(attended);

        return afterAttention.add(mlp.forward(postAttentionLayerNorm.forward(afterAttention)));
    }
}
