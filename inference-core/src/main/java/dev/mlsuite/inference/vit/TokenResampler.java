package dev.mlsuite.inference.vit;

import ai.djl.ndarray.NDArray;

/**
 * Cross-attention resampler: a few query tokens attend to all image tokens and come out as the
 * compressed image representation. Weights under {@code prefix}: {@code query_norm},
 * {@code kv_norm}, {@code cross_attn.{q,k,v,out}_proj}, {@code layer_norm2}, {@code mlp.fc1/fc2}.
 */
public final class TokenResampler {

    private final LayerNorm queryNorm;
    private final LayerNorm keyValueNorm;
    private final MultiHeadAttention crossAttention;
    private final LayerNorm layerNorm2;
    private final VitMlp mlp;

    public TokenResampler(VitWeights weights, String prefix, VitConfig config) {
        int hidden = config.hiddenSize();
        this.queryNorm = new LayerNorm(weights, prefix + ".query_norm", hidden, config.layerNormEps());
        this.keyValueNorm = new LayerNorm(weights, prefix + ".kv_norm", hidden, config.layerNormEps());
        this.crossAttention = new MultiHeadAttention(weights, prefix + ".cross_attn", hidden,
                config.numAttentionHeads());
        this.layerNorm2 = new LayerNorm(weights, prefix + ".layer_norm2", hidden, config.layerNormEps());
        this.mlp = new VitMlp(weights, prefix + ".mlp", hidden, config.intermediateSize());
    }

    /**
     * Lets {@code queries [batch, k, hidden]} attend to {@code tokens [batch, tokens, hidden]} and
     * returns {@code [batch, k, hidden]}.
     */
    public NDArray forward(NDArray queries, NDArray tokens) {
        NDArray attended = queries.add(
                crossAttention.forward(queryNorm.forward(queries), keyValueNorm.forward(tokens), null));
        return attended.add(mlp.forward(layerNorm2.forward(attended)));
    }
}
