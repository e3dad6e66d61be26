package dev.mlsuite.inference.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import dev.mlsuite.inference.io.Checkpoint;

/**
 * Input embeddings of BERT ({@code embeddings.*}): word, absolute position and token type
 * embeddings summed, then LayerNorm.
 */
final class BertEmbeddings {

    private final NDArray wordEmbeddings; // [vocab, hidden]
    private final NDArray positionEmbeddings; // [maxPositions, hidden]
    private final NDArray tokenTypeEmbeddings; // [types, hidden]
    private final LayerNormWeights layerNorm;

    private BertEmbeddings(NDArray wordEmbeddings, NDArray positionEmbeddings, NDArray tokenTypeEmbeddings,
            LayerNormWeights layerNorm) {
        this.wordEmbeddings = wordEmbeddings;
        this.positionEmbeddings = positionEmbeddings;
        this.tokenTypeEmbeddings = tokenTypeEmbeddings;
        this.layerNorm = layerNorm;
    }

    static BertEmbeddings load(Checkpoint checkpoint, String prefix, BertConfig config, NDManager manager) {
        int hidden = config.hiddenSize();
        return new BertEmbeddings(
                checkpoint.loadFloat(prefix + "word_embeddings.weight", manager, config.vocabSize(), hidden),
                checkpoint.loadFloat(prefix + "position_embeddings.weight", manager,
                        config.maxPositionEmbeddings(), hidden),
                checkpoint.loadFloat(prefix + "token_type_embeddings.weight", manager, config.typeVocabSize(), hidden),
                LayerNormWeights.load(checkpoint, prefix + "LayerNorm", hidden, config.layerNormEps(), manager));
    }

    /**
     * Embeds a batch of token ids.
     *
     * @param inputIds int64 {@code [batch, tokens]}
     * @param tokenTypeIds int64 {@code [batch, tokens]}
     * @return {@code [batch, tokens, hidden]}
     */
    NDArray forward(NDArray inputIds, NDArray tokenTypeIds) {
        NDManager manager = inputIds.getManager();
        long tokens = inputIds.getShape().get(1);
        NDArray positionIds = manager.arange(0, tokens, 1, DataType.INT64); // [tokens]

        NDArray words = lookup(inputIds, wordEmbeddings); // [batch, tokens, hidden]
        NDArray types = lookup(tokenTypeIds, tokenTypeEmbeddings); // [batch, tokens, hidden]
        NDArray positions = lookup(positionIds, positionEmbeddings); // [tokens, hidden], broadcast over batch
        return layerNorm.apply(words.add(types).add(positions));
    }

    private static NDArray lookup(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }
}
