package dev.mlsuite.inference.vit;

import ai.djl.ndarray.NDArray;

/**
 * Pre-norm transformer block as in CLIP's vision tower: {@code h = x + self_attn(layer_norm1(x))},
 * then {@code h + mlp(layer_norm2(h))}.
 */
public final class VitEncoderLayer {

    private final LayerNorm layerNorm1;
    private final MultiHeadAttention selfAttention;
    private final LayerNorm layerNorm2;
    private final VitMlp mlp;

    /** Reads the block's weights under {@code prefix}, for example {@code encoder.layers.0}. */
    public VitEncoderLayer(VitWeights weights, String prefix, VitConfig config) {
        this.layerNorm1 = new LayerNorm(weights, prefix + ".layer_norm1", config.hiddenSize(), config.layerNormEps());
        this.selfAttention = new MultiHeadAttention(weights, prefix + ".self_attn", config.hiddenSize(),
                config.numAttentionHeads());
        this.layerNorm2 = new LayerNorm(weights, prefix + ".layer_norm2", config.hiddenSize(), config.layerNormEps());
        this.mlp = new VitMlp(weights, prefix + ".mlp", config.hiddenSize(), config.intermediateSize());
    }

    /** Maps {@code x [batch, tokens, hidden]} to the next block's input; {@code mask} is additive or null. */
    public NDArray forward(NDArray x, NDArray mask) {
        NDArray afterAttention = x.add(selfAttention.forward(layerNorm1.forward(x), mask));
        return afterAttention.add(mlp.forward(layerNorm2.forward(afterAttention)));
    }
}
