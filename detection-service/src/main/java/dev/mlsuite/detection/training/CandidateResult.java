package dev.mlsuite.detection.training;

import java.util.List;

import dev.mlsuite.detection.model.ClassificationHead;
import dev.mlsuite.detection.model.PlattCalibration;
import dev.mlsuite.detection.preprocessing.PreprocessingSettings;

/**
 * One trained configuration: preprocessing variant and head shape, with its cross-validation
 * score on the training split and its metrics on the test split.
 *
 * @param variant short name of the preprocessing variant
 * @param crossValidationAccuracy mean accuracy over the folds of the training split
 * @param crossValidationLogLoss mean calibrated log loss over the same folds
 * @param trainLossPerEpoch loss history of the head trained on the whole training split
 * @param testLossPerEpoch test loss after each epoch, recorded only for the plot
 * @param testProbabilities calibrated probabilities of the test documents, in split order
 * @param gptRewrittenProbabilities calibrated probabilities of the GPT-rewritten documents
 */
record CandidateResult(String variant, PreprocessingSettings preprocessing, int hiddenUnits,
        double crossValidationAccuracy, double crossValidationLogLoss, ClassificationHead head,
        PlattCalibration calibration, List<Double> trainLossPerEpoch, List<Double> testLossPerEpoch,
        double[] testProbabilities, double[] gptRewrittenProbabilities, BinaryMetrics testMetrics) {

    String headDescription() {
        return hiddenUnits == 0 ? "logistic regression" : "MLP, " + hiddenUnits + " ReLU units";
    }
}
