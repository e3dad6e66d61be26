package dev.mlsuite.inference.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import dev.mlsuite.inference.io.Checkpoint;

/**
 * One pre-norm transformer layer of either CLIP tower ({@code encoder.layers.{i}}): multi-head
 * self-attention ({@code self_attn.{q,k,v,out}_proj}) after {@code layer_norm1}, then the MLP
 * ({@code mlp.fc1}, activation, {@code mlp.fc2}) after {@code layer_norm2}, each added to the residual stream.
 */
final class ClipEncoderLayer {

    private static final float QUICK_GELU_FACTOR = 1.702f;

    private final ClipLinear query;
    private final ClipLinear key;
    private final ClipLinear value;
    private final ClipLinear output;
    private final ClipLayerNorm attentionNorm;
    private final ClipLinear fc1;
    private final ClipLinear fc2;
    private final ClipLayerNorm mlpNorm;
    private final ClipConfig.ClipEncoderConfig config;

    private ClipEncoderLayer(ClipLinear query, ClipLinear key, ClipLinear value, ClipLinear output,
            ClipLayerNorm attentionNorm, ClipLinear fc1, ClipLinear fc2, ClipLayerNorm mlpNorm,
            ClipConfig.ClipEncoderConfig config) {
        this.query = query;
        this.key = key;
        this.value = value;
        this.output = output;
        this.attentionNorm = attentionNorm;
        this.fc1 = fc1;
        this.fc2 = fc2;
        this.mlpNorm = mlpNorm;
        this.config = config;
    }

    static ClipEncoderLayer load(Checkpoint checkpoint, String prefix, ClipConfig.ClipEncoderConfig config,
            NDManager manager) {
        int hidden = config.hiddenSize();
        int intermediate = config.intermediateSize();
        double eps = config.layerNormEps();
        return new ClipEncoderLayer(
                ClipLinear.load(checkpoint, prefix + "self_attn.q_proj", hidden, hidden, manager),
                ClipLinear.load(checkpoint, prefix + "self_attn.k_proj", hidden, hidden, manager),
                ClipLinear.load(checkpoint, prefix + "self_attn.v_proj", hidden, hidden, manager),
                ClipLinear.load(checkpoint, prefix + "self_attn.out_proj", hidden, hidden, manager),
                ClipLayerNorm.load(checkpoint, prefix + "layer_norm1", hidden, eps, manager),
                ClipLinear.load(checkpoint, prefix + "mlp.fc1", hidden, intermediate, manager),
                ClipLinear.load(checkpoint, prefix + "mlp.fc2", intermediate, hidden, manager),
                ClipLayerNorm.load(checkpoint, prefix + "layer_norm2", hidden, eps, manager),
                config);
    }

    /**
     * Runs the layer.
     *
     * @param hiddenStates {@code [batch, tokens, hidden]}
     * @param attentionBias additive bias on the attention scores, broadcastable to
     *     {@code [batch, heads, tokens, tokens]} (a causal mask for the text tower), or null for none
     * @return the new hidden states, {@code [batch, tokens, hidden]}
     */
    NDArray forward(NDArray hiddenStates, NDArray attentionBias) {
        NDArray attended = attend(attentionNorm.apply(hiddenStates), attentionBias);
        NDArray afterAttention = hiddenStates.add(attended);

        NDArray hidden = fc1.apply(mlpNorm.apply(afterAttention));
        NDArray activated = config.activation().equals("quick_gelu")
                ? hidden.mul(Activation.sigmoid(hidden.mul(QUICK_GELU_FACTOR)))
                : Activation.gelu(hidden);
        return afterAttention.add(fc2.apply(activated));
    }

    private NDArray attend(NDArray normed, NDArray attentionBias) {
        long batch = normed.getShape().get(0);
        long tokens = normed.getShape().get(1);
        int heads = config.heads();
        int headSize = config.headSize();

        NDArray queries = splitHeads(query.apply(normed), batch, tokens); // [batch, heads, tokens, headSize]
        NDArray keys = splitHeads(key.apply(normed), batch, tokens);
        NDArray values = splitHeads(value.apply(normed), batch, tokens);

        NDArray scores = queries.matMul(keys.transpose(0, 1, 3, 2)).mul(1 / Math.sqrt(headSize));
        if (attentionBias != null) {
            scores = scores.add(attentionBias);
        }
        NDArray context = scores.softmax(-1).matMul(values); // [batch, heads, tokens, headSize]
        NDArray merged = context.transpose(0, 2, 1, 3).reshape(batch, tokens, (long) heads * headSize);
        return output.apply(merged);
    }

    private NDArray splitHeads(NDArray projected, long batch, long tokens) {
        return projected.reshape(batch, tokens, config.heads(), config.headSize()).transpose(0, 2, 1, 3);
    }
}
