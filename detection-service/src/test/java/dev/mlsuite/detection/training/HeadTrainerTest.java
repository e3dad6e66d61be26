package dev.mlsuite.detection.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.mlsuite.detection.model.ClassificationHead;
import dev.mlsuite.detection.model.PlattCalibration;
import dev.mlsuite.inference.engine.InferenceEngine;

class HeadTrainerTest {

    private static final int DIMENSIONS = 8;

    private static InferenceEngine engine;

    @BeforeAll
    static void startEngine() {
        engine = InferenceEngine.startDefault();
    }

    /** Two Gaussian clouds whose means differ along the first axis only. */
    private static float[][] clouds(int count, int[] labels, long seed) {
        Random random = new Random(seed);
        float[][] features = new float[count][DIMENSIONS];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 2;
            for (int d = 0; d < DIMENSIONS; d++) {
                features[i][d] = (float) random.nextGaussian();
            }
            features[i][0] += labels[i] == 1 ? 2.5f : -2.5f;
        }
        return features;
    }

    private static double accuracy(ClassificationHead head, float[][] features, int[] labels) {
        int correct = 0;
        for (int i = 0; i < features.length; i++) {
            int predicted = head.logit(features[i]) >= 0 ? 1 : 0;
            correct += predicted == labels[i] ? 1 : 0;
        }
        return (double) correct / features.length;
    }

    @Test
    void logisticRegressionSeparatesClouds() {
        int[] labels = new int[200];
        float[][] features = clouds(200, labels, 1);
        int[] testLabels = new int[200];
        float[][] testFeatures = clouds(200, testLabels, 2);
        HeadTrainer trainer = new HeadTrainer(engine, new HeadTrainingSettings(0, 30, 16, 0.05f, 0f, 7));

        HeadTrainer.Result result = trainer.train(features, labels, testFeatures, testLabels);

        assertThat(accuracy(result.head(), testFeatures, testLabels)).isGreaterThan(0.95);
        assertThat(result.trainLossPerEpoch()).hasSize(30);
        assertThat(result.evaluationLossPerEpoch()).hasSize(30);
        assertThat(result.trainLossPerEpoch().get(29)).isLessThan(result.trainLossPerEpoch().get(0));
        assertThat(result.evaluationLossPerEpoch().get(29)).isLessThan(0.2);
        // The weight on the informative axis dominates the others.
        assertThat(result.head().outputWeight()[0]).isGreaterThan(1f);
    }

    @Test
    void mlpLearnsXorThatLogisticRegressionCannot() {
        Random random = new Random(3);
        int count = 200;
        float[][] features = new float[count][2];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            features[i][0] = (float) (random.nextDouble() * 2 - 1);
            features[i][1] = (float) (random.nextDouble() * 2 - 1);
            labels[i] = features[i][0] * features[i][1] > 0 ? 1 : 0;
        }
        HeadTrainingSettings mlpSettings = new HeadTrainingSettings(16, 120, 50, 0.02f, 0f, 11);
        HeadTrainingSettings linearSettings = new HeadTrainingSettings(0, 40, 50, 0.02f, 0f, 11);

        ClassificationHead mlp = new HeadTrainer(engine, mlpSettings).train(features, labels).head();
        ClassificationHead linear = new HeadTrainer(engine, linearSettings).train(features, labels).head();

        assertThat(accuracy(mlp, features, labels)).isGreaterThan(0.9);
        assertThat(accuracy(linear, features, labels)).isLessThan(0.75);
    }

    @Test
    void sameSeedGivesSameWeights() {
        int[] labels = new int[60];
        float[][] features = clouds(60, labels, 5);
        HeadTrainingSettings settings = new HeadTrainingSettings(4, 5, 8, 0.01f, 1e-4f, 13);

        ClassificationHead first = new HeadTrainer(engine, settings).train(features, labels).head();
        ClassificationHead second = new HeadTrainer(engine, settings).train(features, labels).head();

        assertThat(first).isEqualTo(second);
    }

    @Test
    void plattScalingRecoversKnownSlope() {
        // Labels drawn from sigmoid(2 * z - 1): the fit should find scale near 2 and offset near -1.
        Random random = new Random(17);
        int count = 20_000;
        double[] logits = new double[count];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            logits[i] = random.nextGaussian() * 2;
            labels[i] = random.nextDouble() < PlattCalibration.sigmoid(2 * logits[i] - 1) ? 1 : 0;
        }

        PlattCalibration calibration = PlattCalibration.fit(logits, labels);

        assertThat(calibration.scale()).isBetween(1.85, 2.15);
        assertThat(calibration.offset()).isBetween(-1.1, -0.9);
    }

    @Test
    void plattFitSeparatesShiftedLogits() {
        // Separable logits far below 0, as a head gives on embeddings it was not trained on: a full
        // Newton step from scale 1 and offset 0 overshoots here.
        Random random = new Random(7);
        int count = 200;
        double[] logits = new double[count];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 2;
            logits[i] = labels[i] == 1 ? -9 + 14 * random.nextDouble() : -30 + 20 * random.nextDouble();
        }

        PlattCalibration calibration = PlattCalibration.fit(logits, labels);

        assertThat(calibration.scale()).isPositive().isLessThan(100);
        for (int i = 0; i < count; i++) {
            double probability = calibration.probability(logits[i]);
            assertThat(probability >= 0.5 ? 1 : 0).as("label of logit %.3f (probability %.4f)", logits[i], probability)
                    .isEqualTo(labels[i]);
        }
    }
}
