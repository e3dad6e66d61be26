package dev.mlsuite.inference.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Multi-head self-attention with grouped-query key/value heads, rotary positions and a per-sequence
 * KV cache.
 */
final class LlamaAttention {

    private final int layer;
    private final int numHeads;
    private final int numKeyValueHeads;
    private final int headDim;
    // Weights stay in checkpoint layout and are transposed (a view) per call, so that a gradient
    // recorded during a call reaches the stored array when it is trained. Each view is attached to
    // the call's manager so that it is freed with the call's other arrays.
    private final NDArray query; // [heads * headDim, hidden]
    private final NDArray key; // [kvHeads * headDim, hidden]
    private final NDArray value; // [kvHeads * headDim, hidden]
    private final NDArray output; // [hidden, heads * headDim]
    private final RotaryEmbedding rotary;

    LlamaAttention(int layer, LlamaConfig config, NDArray query, NDArray key, NDArray value, NDArray output,
            RotaryEmbedding rotary) {
        this.layer = layer;
        this.numHeads = config.numAttentionHeads();
        this.numKeyValueHeads = config.numKeyValueHeads();
        this.headDim = config.headDim();
        this.query = query;
        this.key = key;
        this.value = value;
        this.output = output;
        this.rotary = rotary;
    }

    /**
     * Attends from the new tokens to the cached and new tokens of each row and stages the new keys
     * and values in each row's cache.
     *
     * @param hidden normalised residual stream, {@code [batch, tokens, hidden]}
     * @param mask additive mask, {@code [batch, 1, tokens, keyLength]}
     */
    NDArray forward(NDArray hidden, BatchLayout layout, RotaryEmbedding.Angles angles, NDArray mask) {
        int batch = layout.batch;
        int tokens = layout.tokens;

        NDArray queries = hidden.matMul(transposed(query, hidden)).reshape(batch, tokens, numHeads, headDim);
        NDArray keys = hidden.matMul(transposed(key, hidden)).reshape(batch, tokens, numKeyValueHeads, headDim);
        NDArray values = hidden.matMul(transposed(value, hidden)).reshape(batch, tokens, numKeyValueHeads, headDim);
        queries = rotary.apply(queries, angles);
        keys = rotary.apply(keys, angles);

        NDArray[] allKeysAndValues = stageInCaches(keys, values, layout);
        NDArray allKeys = expandKeyValueHeads(allKeysAndValues[0]); // [batch, heads, keyLength, headDim]
        NDArray allValues = expandKeyValueHeads(allKeysAndValues[1]);

        NDArray scores = queries.transpose(0, 2, 1, 3) // [batch, heads, tokens, headDim]
                .matMul(allKeys.transpose(0, 1, 3, 2)) // [batch, heads, tokens, keyLength]
                .div((float) Math.sqrt(headDim))
                .add(mask);
        NDArray weights = scores.softmax(-1);
        NDArray context = weights.matMul(allValues) // [batch, heads, tokens, headDim]
                .transpose(0, 2, 1, 3)
                .reshape(batch, tokens, numHeads * headDim);
        return context.matMul(transposed(output, context));
    }

    /**
     * Causal self-attention over whole sequences without a KV cache, for training and for callers
     * that feed input embeddings.
     *
     * @param hidden normalised residual stream, {@code [batch, tokens, hidden]}
     * @param mask additive mask broadcastable to {@code [batch, heads, tokens, tokens]}
     */
    NDArray forwardWithoutCache(NDArray hidden, RotaryEmbedding.Angles angles, NDArray mask) {
        Shape shape = hidden.getShape();
        long batch = shape.get(0);
        long tokens = shape.get(1);

        NDArray queries = rotary.apply(hidden.matMul(transposed(query, hidden)).reshape(batch, tokens, numHeads, headDim),
                angles);
        NDArray keys = rotary.apply(hidden.matMul(transposed(key, hidden)).reshape(batch, tokens, numKeyValueHeads, headDim),
                angles);
        NDArray values = hidden.matMul(transposed(value, hidden)).reshape(batch, tokens, numKeyValueHeads, headDim);
        NDArray allKeys = expandKeyValueHeads(keys.transpose(0, 2, 1, 3)); // [batch, heads, tokens, headDim]
        NDArray allValues = expandKeyValueHeads(values.transpose(0, 2, 1, 3));

        NDArray scores = queries.transpose(0, 2, 1, 3)
                .matMul(allKeys.transpose(0, 1, 3, 2)) // [batch, heads, tokens, tokens]
                .div((float) Math.sqrt(headDim))
                .add(mask);
        NDArray context = scores.softmax(-1).matMul(allValues) // [batch, heads, tokens, headDim]
                .transpose(0, 2, 1, 3)
                .reshape(batch, tokens, (long) numHeads * headDim);
        return context.matMul(transposed(output, context));
    }

    /**
     * Stages each row's new keys and values and returns everything each row attends to, right-padded
     * to {@code keyLength}: keys and values, each {@code [batch, kvHeads, keyLength, headDim]}.
     *
     * <p>NOTE: each row's cache is concatenated, padded and stacked on its own, which adds a few
     * operations per row and layer to every step; a cache laid out for the whole batch would not.
     */
    private NDArray[] stageInCaches(NDArray keys, NDArray values, BatchLayout layout) {
        NDManager scope = keys.getManager();
        NDList rowKeys = new NDList(layout.batch);
        NDList rowValues = new NDList(layout.batch);
        for (int b = 0; b < layout.batch; b++) {
            NDIndex realTokens = new NDIndex("{}, {}:{}", b, layout.offsets[b], layout.offsets[b] + layout.counts[b]);
            NDArray newKeys = keys.get(realTokens).transpose(1, 0, 2); // [kvHeads, count, headDim]
            NDArray newValues = values.get(realTokens).transpose(1, 0, 2);
            NDArray[] staged = layout.cache(b).stage(layer, newKeys, newValues);

            int padding = layout.keyLength - (layout.pastLengths[b] + layout.counts[b]);
            rowKeys.add(padKeyAxis(staged[0], padding, scope));
            rowValues.add(padKeyAxis(staged[1], padding, scope));
        }

        // Arrays derived from cache arrays belong to the cache's manager until attached to the step's.
        NDArray stackedKeys = layout.batch == 1 ? rowKeys.get(0).expandDims(0) : NDArrays.stack(rowKeys, 0);
        NDArray stackedValues = layout.batch == 1 ? rowValues.get(0).expandDims(0) : NDArrays.stack(rowValues, 0);
        stackedKeys.attach(scope);
        stackedValues.attach(scope);
        return new NDArray[] {stackedKeys, stackedValues};
    }

    /** Appends {@code padding} zero columns to {@code cached [kvHeads, length, headDim]}, in {@code scope}. */
    private NDArray padKeyAxis(NDArray cached, int padding, NDManager scope) {
        if (padding == 0) {
            return cached;
        }
        NDArray zeros = scope.zeros(new Shape(numKeyValueHeads, padding, headDim), cached.getDataType());
        NDArray padded = NDArrays.concat(new NDList(cached, zeros), 1);
        padded.attach(scope);
        return padded;
    }

    /** Repeats each key/value head for the query heads that share it: head {@code h} uses {@code h / group}. */
    private NDArray expandKeyValueHeads(NDArray x) {
        int group = numHeads / numKeyValueHeads;
        if (group == 1) {
            return x;
        }
        Shape shape = x.getShape(); // [batch, kvHeads, keyLength, headDim]
        long batch = shape.get(0);
        long keyLength = shape.get(2);
        return x.expandDims(2)
                .broadcast(new Shape(batch, numKeyValueHeads, group, keyLength, headDim))
                .reshape(batch, numHeads, keyLength, headDim);
    }

    /** Returns the transposed view of {@code weight}, owned by the manager of {@code input}. */
    static NDArray transposed(NDArray weight, NDArray input) {
        NDArray view = weight.transpose();
        view.attach(input.getManager());
        return view;
    }
}
