package dev.mlsuite.inference.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.mlsuite.inference.generation.KvCache;

/**
 * One GPT-2 block: {@code h = x + attn(ln_1(x))}, then {@code h + mlp(ln_2(h))}. Linear layers are
 * GPT-2's {@code Conv1D}, whose weights are stored {@code [in, out]}.
 */
final class Gpt2Block {

    /** Weights of one block, by their Hugging Face names below {@code h.{i}.}. */
    record Weights(NDArray ln1Weight, NDArray ln1Bias, NDArray attentionWeight, NDArray attentionBias,
            NDArray attentionProjectionWeight, NDArray attentionProjectionBias, NDArray ln2Weight, NDArray ln2Bias,
            NDArray mlpInWeight, NDArray mlpInBias, NDArray mlpOutWeight, NDArray mlpOutBias) {
    }

    private final int layer;
    private final Gpt2Config config;
    private final Weights weights;

    Gpt2Block(int layer, Gpt2Config config, Weights weights) {
        this.layer = layer;
        this.config = config;
        this.weights = weights;
    }

    /**
     * Maps the residual stream {@code [1, tokens, hidden]} of one sequence to the next block's input
     * and stages the new keys and values in {@code cache}.
     *
     * @param mask additive causal mask, {@code [tokens, past + tokens]}
     */
    NDArray forward(NDArray residual, KvCache cache, NDArray mask) {
        NDArray attended = attention(layerNorm(residual, weights.ln1Weight(), weights.ln1Bias()), cache, mask);
        NDArray afterAttention = residual.add(attended);

        NDArray normalised = layerNorm(afterAttention, weights.ln2Weight(), weights.ln2Bias());
        NDArray hidden = geluTanh(normalised.matMul(weights.mlpInWeight()).add(weights.mlpInBias()));
        return afterAttention.add(hidden.matMul(weights.mlpOutWeight()).add(weights.mlpOutBias()));
    }

    private NDArray attention(NDArray x, KvCache cache, NDArray mask) {
        int hidden = config.hiddenSize();
        int heads = config.numHeads();
        int headDim = config.headDim();
        long tokens = x.getShape().get(1);

        NDArray qkv = x.matMul(weights.attentionWeight()).add(weights.attentionBias()); // [1, tokens, 3 * hidden]
        NDArray queries = qkv.get(new NDIndex("..., 0:{}", hidden)).reshape(tokens, heads, headDim)
                .transpose(1, 0, 2); // [heads, tokens, headDim]
        NDArray keys = qkv.get(new NDIndex("..., {}:{}", hidden, 2 * hidden)).reshape(tokens, heads, headDim)
                .transpose(1, 0, 2);
        NDArray values = qkv.get(new NDIndex("..., {}:", 2 * hidden)).reshape(tokens, heads, headDim)
                .transpose(1, 0, 2);

        NDArray[] all = cache.stage(layer, keys, values); // each [heads, past + tokens, headDim]
        NDArray allKeys = all[0].duplicate();
        NDArray allValues = all[1].duplicate();
        allKeys.attach(x.getManager());
        allValues.attach(x.getManager());

        NDArray scores = queries.matMul(allKeys.transpose(0, 2, 1)).div((float) Math.sqrt(headDim)).add(mask);
        NDArray context = scores.softmax(-1).matMul(allValues) // [heads, tokens, headDim]
                .transpose(1, 0, 2).reshape(1, tokens, hidden);
        return context.matMul(weights.attentionProjectionWeight()).add(weights.attentionProjectionBias());
    }

    static NDArray layerNorm(NDArray x, NDArray weight, NDArray bias, float epsilon) {
        NDArray mean = x.mean(new int[] {-1}, true);
        NDArray centred = x.sub(mean);
        NDArray variance = centred.square().mean(new int[] {-1}, true);
        return centred.div(variance.add(epsilon).sqrt()).mul(weight).add(bias);
    }

    private NDArray layerNorm(NDArray x, NDArray weight, NDArray bias) {
        return layerNorm(x, weight, bias, config.layerNormEpsilon());
    }

    /** GPT-2's {@code gelu_new}: {@code 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))}. */
    static NDArray geluTanh(NDArray x) {
        NDArray inner = x.add(x.pow(3).mul(0.044715f)).mul((float) Math.sqrt(2 / Math.PI));
        return x.mul(inner.tanh().add(1f)).mul(0.5f);
    }
}
