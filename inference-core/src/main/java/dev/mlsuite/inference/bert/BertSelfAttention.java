package dev.mlsuite.inference.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.mlsuite.inference.io.Checkpoint;

/**
 * Multi-head scaled dot-product self-attention ({@code attention.self.*}).
 *
 * <p>The query, key and value projections load under their checkpoint names and are fused into
 * one {@code [3 * hidden, hidden]} projection, which saves two matrix multiplications per layer.
 */
final class BertSelfAttention {

    private final LinearWeights queryKeyValue; // weight [3 * hidden, hidden]
    private final int heads;
    private final int headSize;
    private final double scale;

    private BertSelfAttention(LinearWeights queryKeyValue, int heads, int headSize) {
        this.queryKeyValue = queryKeyValue;
        this.heads = heads;
        this.headSize = headSize;
        this.scale = 1 / Math.sqrt(headSize);
    }

    static BertSelfAttention load(Checkpoint checkpoint, String prefix, BertConfig config, NDManager manager) {
        int hidden = config.hiddenSize();
        LinearWeights query = LinearWeights.load(checkpoint, prefix + "query", hidden, hidden, manager);
        LinearWeights key = LinearWeights.load(checkpoint, prefix + "key", hidden, hidden, manager);
        LinearWeights value = LinearWeights.load(checkpoint, prefix + "value", hidden, hidden, manager);

        NDArray weight = NDArrays.concat(new NDList(query.weight(), key.weight(), value.weight()), 0);
        NDArray bias = NDArrays.concat(new NDList(query.bias(), key.bias(), value.bias()), 0);
        for (LinearWeights part : new LinearWeights[] {query, key, value}) {
            part.weight().close();
            part.bias().close();
        }
        return new BertSelfAttention(new LinearWeights(weight, bias), config.numAttentionHeads(), config.headSize());
    }

    /**
     * Attends every token to every unmasked token.
     *
     * @param hiddenStates {@code [batch, tokens, hidden]}
     * @param keyBias additive bias on the attention scores, {@code [batch, 1, 1, tokens]}: 0 for keys to
     *     attend to, a large negative value for padding, plus {@code log(size)} of merged tokens
     * @return the attention context, {@code [batch, tokens, hidden]}
     */
    NDArray forward(NDArray hiddenStates, NDArray keyBias) {
        long batch = hiddenStates.getShape().get(0);
        long tokens = hiddenStates.getShape().get(1);

        NDArray projected = queryKeyValue.apply(hiddenStates); // [batch, tokens, 3 * hidden]
        NDArray perHead = projected.reshape(batch, tokens, 3, heads, headSize)
                .transpose(2, 0, 3, 1, 4); // [3, batch, heads, tokens, headSize]
        NDArray query = perHead.get(0);
        NDArray key = perHead.get(1);
        NDArray value = perHead.get(2);

        NDArray scores = query.matMul(key.transpose(0, 1, 3, 2)).mul(scale); // [batch, heads, tokens, tokens]
        NDArray probabilities = scores.add(keyBias).softmax(-1);
        NDArray context = probabilities.matMul(value); // [batch, heads, tokens, headSize]
        return context.transpose(0, 2, 1, 3).reshape(batch, tokens, (long) heads * headSize);
    }
}
