package dev.mlsuite.detection.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import dev.mlsuite.detection.model.ClassificationHead;
import dev.mlsuite.inference.engine.InferenceEngine;

/**
 * Trains a {@link ClassificationHead} on fixed embeddings with DJL autograd and Adam, minimising
 * the binary cross-entropy of the logits.
 */
public final class HeadTrainer {

    private final InferenceEngine engine;
    private final HeadTrainingSettings settings;

    public HeadTrainer(InferenceEngine engine, HeadTrainingSettings settings) {
        this.engine = engine;
        this.settings = settings;
    }

    /**
     * The trained head with its loss history.
     *
     * @param trainLossPerEpoch mean training loss over each epoch's batches
     * @param evaluationLossPerEpoch loss on the evaluation embeddings after each epoch, empty without them
     */
    public record Result(ClassificationHead head, List<Double> trainLossPerEpoch, List<Double> evaluationLossPerEpoch) {
    }

    /** Trains on {@code features} without evaluation data. */
    public Result train(float[][] features, int[] labels) {
        return train(features, labels, new float[0][], new int[0]);
    }

    /**
     * Trains on {@code features} and records the loss on the evaluation embeddings after each epoch;
     * the evaluation data never changes the weights.
     *
     * @param features {@code [documents][embedding]}
     * @param labels 1 for AI, 0 for human
     */
    public Result train(float[][] features, int[] labels, float[][] evaluationFeatures, int[] evaluationLabels) {
        if (features.length == 0 || features.length != labels.length) {
            throw new IllegalArgumentException("need the same positive number of embeddings and labels, found "
                    + features.length + " and " + labels.length);
        }
        int inputSize = features[0].length;
        Random random = new Random(settings.seed());
        Engine djlEngine = Engine.getEngine(InferenceEngine.ENGINE_NAME);

        try (NDManager manager = engine.newManager()) {
            Parameters parameters = Parameters.initialise(manager, inputSize, settings.hiddenUnits(), random);
            Optimizer adam = Optimizer.adam()
                    .optLearningRateTracker(Tracker.fixed(settings.learningRate()))
                    .optWeightDecays(settings.weightDecay())
                    .build();
            NDArray allFeatures = manager.create(flatten(features), new Shape(features.length, inputSize));
            NDArray allLabels = manager.create(toFloats(labels));
            NDArray evaluationInputs = evaluationFeatures.length == 0 ? null
                    : manager.create(flatten(evaluationFeatures), new Shape(evaluationFeatures.length, inputSize));
            NDArray evaluationTargets = evaluationFeatures.length == 0 ? null
                    : manager.create(toFloats(evaluationLabels));

            List<Double> trainLosses = new ArrayList<>();
            List<Double> evaluationLosses = new ArrayList<>();
            for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                trainLosses.add(runEpoch(djlEngine, manager, parameters, adam, allFeatures, allLabels, random));
                if (evaluationInputs != null) {
                    evaluationLosses.add(evaluate(manager, parameters, evaluationInputs, evaluationTargets));
                }
            }
            return new Result(parameters.toHead(inputSize, settings.hiddenUnits()), trainLosses, evaluationLosses);
        }
    }

    private double runEpoch(Engine djlEngine, NDManager manager, Parameters parameters, Optimizer adam,
            NDArray allFeatures, NDArray allLabels, Random random) {
        int count = (int) allFeatures.getShape().get(0);
        int[] order = shuffledIndices(count, random);
        double lossSum = 0;
        int batches = 0;
        for (int start = 0; start < count; start += settings.batchSize()) {
            int end = Math.min(count, start + settings.batchSize());
            try (NDManager step = manager.newSubManager()) {
                NDArray rows = step.create(java.util.Arrays.copyOfRange(order, start, end));
                NDArray inputs = allFeatures.get(rows); // [batch, inputSize]
                NDArray targets = allLabels.get(rows); // [batch]
                inputs.attach(step);
                targets.attach(step);
                try (GradientCollector collector = djlEngine.newGradientCollector()) {
                    NDArray loss = binaryCrossEntropy(parameters.forward(inputs), targets);
                    collector.backward(loss);
                    lossSum += loss.getFloat();
                }
                parameters.update(adam, step);
            }
            batches++;
        }
        return lossSum / batches;
    }

    private static double evaluate(NDManager manager, Parameters parameters, NDArray inputs, NDArray targets) {
        try (NDManager step = manager.newSubManager()) {
            NDArray stepInputs = inputs.duplicate();
            NDArray stepTargets = targets.duplicate();
            stepInputs.attach(step);
            stepTargets.attach(step);
            return binaryCrossEntropy(parameters.forward(stepInputs), stepTargets).getFloat();
        }
    }

    /**
     * Returns the mean of {@code max(z, 0) - z * y + log(1 + exp(-|z|))}, the binary cross-entropy of
     * logits {@code z} against targets {@code y} written so that large logits do not overflow.
     */
    static NDArray binaryCrossEntropy(NDArray logits, NDArray targets) {
        NDArray positivePart = logits.maximum(0);
        NDArray softplusTail = logits.abs().neg().exp().add(1).log();
        return positivePart.sub(logits.mul(targets)).add(softplusTail).mean();
    }

    private static int[] shuffledIndices(int count, Random random) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    private static float[] flatten(float[][] rows) {
        int width = rows[0].length;
        float[] flat = new float[rows.length * width];
        for (int row = 0; row < rows.length; row++) {
            if (rows[row].length != width) {
                throw new IllegalArgumentException("embedding " + row + " has " + rows[row].length
                        + " values, expected " + width);
            }
            System.arraycopy(rows[row], 0, flat, row * width, width);
        }
        return flat;
    }

    private static float[] toFloats(int[] labels) {
        float[] values = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            values[i] = labels[i];
        }
        return values;
    }

    /** The trainable arrays; the hidden layer ones are null for logistic regression. */
    private record Parameters(NDArray hiddenWeight, NDArray hiddenBias, NDArray outputWeight, NDArray outputBias) {

        /** Creates Xavier-uniform weights and zero biases that record gradients. */
        static Parameters initialise(NDManager manager, int inputSize, int hiddenUnits, Random random) {
            NDArray hiddenWeight = null;
            NDArray hiddenBias = null;
            int outputInputs = inputSize;
            if (hiddenUnits > 0) {
                hiddenWeight = trainable(manager.create(xavier(random, hiddenUnits, inputSize),
                        new Shape(hiddenUnits, inputSize)));
                hiddenBias = trainable(manager.zeros(new Shape(hiddenUnits)));
                outputInputs = hiddenUnits;
            }
            NDArray outputWeight = trainable(manager.create(xavier(random, 1, outputInputs), new Shape(1, outputInputs)));
            NDArray outputBias = trainable(manager.zeros(new Shape(1)));
            return new Parameters(hiddenWeight, hiddenBias, outputWeight, outputBias);
        }

        private static NDArray trainable(NDArray array) {
            array.setRequiresGradient(true);
            return array;
        }

        private static float[] xavier(Random random, int outputs, int inputs) {
            double limit = Math.sqrt(6.0 / (inputs + outputs));
            float[] values = new float[outputs * inputs];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
            }
            return values;
        }

        /** Returns the logits {@code [batch]} for inputs {@code [batch, inputSize]}. */
        NDArray forward(NDArray inputs) {
            NDArray features = inputs;
            if (hiddenWeight != null) {
                features = inputs.matMul(hiddenWeight.transpose()).add(hiddenBias).maximum(0); // [batch, hidden]
            }
            return features.matMul(outputWeight.transpose()).add(outputBias).squeeze(1); // [batch]
        }

        /** Applies one Adam step to every parameter; the gradient handles are closed with {@code step}. */
        void update(Optimizer adam, NDManager step) {
            if (hiddenWeight != null) {
                step(adam, ClassificationHead.HIDDEN_WEIGHT, hiddenWeight, step);
                step(adam, ClassificationHead.HIDDEN_BIAS, hiddenBias, step);
            }
            step(adam, ClassificationHead.OUTPUT_WEIGHT, outputWeight, step);
            step(adam, ClassificationHead.OUTPUT_BIAS, outputBias, step);
        }

        private static void step(Optimizer adam, String name, NDArray weight, NDManager step) {
            NDArray gradient = weight.getGradient();
            gradient.attach(step);
            adam.update(name, weight, gradient);
            // PyTorch accumulates gradients across backward calls, so clear them for the next batch.
            gradient.muli(0);
        }

        ClassificationHead toHead(int inputSize, int hiddenUnits) {
            float[] none = new float[0];
            return new ClassificationHead(inputSize, hiddenUnits,
                    hiddenWeight == null ? none : hiddenWeight.toFloatArray(),
                    hiddenBias == null ? none : hiddenBias.toFloatArray(),
                    outputWeight.toFloatArray(), outputBias.toFloatArray());
        }
    }
}
