package dev.mlsuite.detection.model;

import dev.mlsuite.inference.bert.BertConfig;

/** Parameter counts of BERT encoders, computed from the configuration. */
final class BertParameters {

    private BertParameters() {
    }

    /** Returns the weights and biases of the embeddings and encoder layers, without the pooler. */
    static long encoder(BertConfig config) {
        long hidden = config.hiddenSize();
        long intermediate = config.intermediateSize();
        long embeddings = (config.vocabSize() + config.maxPositionEmbeddings() + config.typeVocabSize()) * hidden
                + 2 * hidden;
        long attention = 4 * (hidden * hidden + hidden) + 2 * hidden;
        long feedForward = hidden * intermediate + intermediate + intermediate * hidden + hidden + 2 * hidden;
        return embeddings + config.numHiddenLayers() * (attention + feedForward);
    }
}
