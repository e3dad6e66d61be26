package dev.mlsuite.detection.training;

/**
 * Hyperparameters of the classification head.
 *
 * @param hiddenUnits width of the ReLU hidden layer, 0 for logistic regression
 * @param epochs passes over the training embeddings
 * @param batchSize embeddings per Adam step
 * @param learningRate Adam step size
 * @param weightDecay L2 penalty that Adam adds to each gradient
 * @param seed seed of the weight initialisation and of the batch order
 */
public record HeadTrainingSettings(int hiddenUnits, int epochs, int batchSize, float learningRate, float weightDecay,
        long seed) {

    public HeadTrainingSettings {
        if (hiddenUnits < 0 || epochs < 1 || batchSize < 1 || !(learningRate > 0) || weightDecay < 0) {
            throw new IllegalArgumentException("invalid head training settings: hiddenUnits=" + hiddenUnits
                    + ", epochs=" + epochs + ", batchSize=" + batchSize + ", learningRate=" + learningRate
                    + ", weightDecay=" + weightDecay);
        }
    }

    public HeadTrainingSettings withHiddenUnits(int units) {
        return new HeadTrainingSettings(units, epochs, batchSize, learningRate, weightDecay, seed);
    }
}
