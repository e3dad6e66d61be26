package dev.mlsuite.detection.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A small classifier on a document embedding that returns one logit for "AI-generated": logistic
 * regression, or with {@code hiddenUnits > 0} an MLP with one ReLU hidden layer. Weights follow
 * PyTorch's {@code Linear} layout, {@code [out, in]} row-major. Inference is plain Java because one
 * logit costs at most a few tens of thousands of multiply-adds.
 *
 * @param inputSize embedding width
 * @param hiddenUnits width of the hidden layer, 0 for logistic regression
 * @param hiddenWeight {@code [hiddenUnits, inputSize]}, empty when {@code hiddenUnits == 0}
 * @param hiddenBias {@code [hiddenUnits]}, empty when {@code hiddenUnits == 0}
 * @param outputWeight {@code [1, hiddenUnits]}, or {@code [1, inputSize]} for logistic regression
 * @param outputBias {@code [1]}
 */
public record ClassificationHead(int inputSize, int hiddenUnits, float[] hiddenWeight, float[] hiddenBias,
        float[] outputWeight, float[] outputBias) {

    /** Tensor names in the weight file, as a PyTorch module with layers {@code hidden} and {@code output} names them. */
    public static final String HIDDEN_WEIGHT = "hidden.weight";
    public static final String HIDDEN_BIAS = "hidden.bias";
    public static final String OUTPUT_WEIGHT = "output.weight";
    public static final String OUTPUT_BIAS = "output.bias";

    /** Validates every array length against {@code inputSize} and {@code hiddenUnits}. */
    public ClassificationHead {
        Objects.requireNonNull(hiddenWeight, "hiddenWeight");
        Objects.requireNonNull(hiddenBias, "hiddenBias");
        Objects.requireNonNull(outputWeight, "outputWeight");
        Objects.requireNonNull(outputBias, "outputBias");
        if (inputSize < 1 || hiddenUnits < 0) {
            throw new IllegalArgumentException("inputSize must be positive and hiddenUnits not negative, found "
                    + inputSize + " and " + hiddenUnits);
        }
        int outputInputs = hiddenUnits == 0 ? inputSize : hiddenUnits;
        requireLength(HIDDEN_WEIGHT, hiddenWeight, (long) hiddenUnits * inputSize);
        requireLength(HIDDEN_BIAS, hiddenBias, hiddenUnits);
        requireLength(OUTPUT_WEIGHT, outputWeight, outputInputs);
        requireLength(OUTPUT_BIAS, outputBias, 1);
    }

    private static void requireLength(String name, float[] values, long expected) {
        if (values.length != expected) {
            throw new IllegalArgumentException(name + " must have " + expected + " values, found " + values.length);
        }
    }

    /** Returns the uncalibrated logit of "AI-generated" for one embedding of {@code inputSize} values. */
    public double logit(float[] embedding) {
        if (embedding.length != inputSize) {
            throw new IllegalArgumentException("embedding must have " + inputSize + " values, found "
                    + embedding.length);
        }
        float[] features = hiddenUnits == 0 ? embedding : hiddenActivations(embedding);
        double logit = outputBias[0];
        for (int i = 0; i < features.length; i++) {
            logit += (double) outputWeight[i] * features[i];
        }
        return logit;
    }

    private float[] hiddenActivations(float[] embedding) {
        float[] activations = new float[hiddenUnits];
        for (int unit = 0; unit < hiddenUnits; unit++) {
            double sum = hiddenBias[unit];
            int row = unit * inputSize;
            for (int i = 0; i < inputSize; i++) {
                sum += (double) hiddenWeight[row + i] * embedding[i];
            }
            activations[unit] = (float) Math.max(0, sum);
        }
        return activations;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClassificationHead head && inputSize == head.inputSize
                && hiddenUnits == head.hiddenUnits && Arrays.equals(hiddenWeight, head.hiddenWeight)
                && Arrays.equals(hiddenBias, head.hiddenBias) && Arrays.equals(outputWeight, head.outputWeight)
                && Arrays.equals(outputBias, head.outputBias);
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputSize, hiddenUnits, Arrays.hashCode(hiddenWeight), Arrays.hashCode(outputWeight));
    }

    @Override
    public String toString() {
        return "ClassificationHead[inputSize=" + inputSize + ", hiddenUnits=" + hiddenUnits + "]";
    }
}
