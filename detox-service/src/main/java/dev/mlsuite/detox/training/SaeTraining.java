package dev.mlsuite.detox.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.mlsuite.detox.generation.DetoxLanguageModel;
import dev.mlsuite.detox.sae.ResidualActivations;
import dev.mlsuite.detox.sae.SparseAutoencoder;
import dev.mlsuite.inference.engine.DeviceSetting;
import dev.mlsuite.inference.engine.EngineSettings;
import dev.mlsuite.inference.engine.InferenceEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a TopK sparse autoencoder on the fine-tuned model's residual stream at one hook point,
 * reports its quality on validation comments, writes it in SAELens layout and then ranks its
 * features for toxicity (see {@link ToxicityFeatureSelection}).
 *
 * <p>Training tokens are every non-BOS position of the training comment windows. Decoder rows are
 * renormalised to unit length after every step, so a steering strength is a length in the
 * residual stream.
 */
public final class SaeTraining {

    static final String USAGE = "--data DATA_FOLDER --lm LM_FOLDER --out SAE_FOLDER [--hook blocks.3.hook_resid_pre]"
            + " [--d-sae 256] [--k 12] [--minutes 4] [--batch 512] [--learning-rate 1e-3] [--seed 11]";

    private static final Logger log = LoggerFactory.getLogger(SaeTraining.class);

    private SaeTraining() {
    }

    public static void main(String[] args) throws IOException {
        CommandLine cli = new CommandLine(args, USAGE);
        Path dataFolder = cli.path("data");
        Path lmFolder = cli.path("lm");
        Path out = cli.path("out");
        String hookName = cli.stringOr("hook", "blocks.3.hook_resid_pre");
        int dSae = cli.intOr("d-sae", 256);
        int k = cli.intOr("k", 12);
        double minutes = cli.doubleOr("minutes", 4);
        int batchSize = cli.intOr("batch", 512);
        float learningRate = (float) cli.doubleOr("learning-rate", 1e-3);
        Random random = new Random(cli.intOr("seed", 11));

        InferenceEngine engine = InferenceEngine.start(EngineSettings.defaults().withDevice(DeviceSetting.CPU));
        List<ToxicityComments.Comment> comments = ToxicityComments.read(dataFolder);
        try (DetoxLanguageModel lm = DetoxLanguageModel.load(lmFolder, engine.device(), "--lm");
                NDManager manager = engine.newManager()) {
            List<int[]> trainWindows = LanguageModelFineTuning.windows(
                    ToxicityComments.of(comments, ToxicityComments.Split.TRAIN), lm.llamaTokenizer(), 64, 1);
            List<int[]> validationWindows = LanguageModelFineTuning.windows(
                    ToxicityComments.of(comments, ToxicityComments.Split.VALIDATION), lm.llamaTokenizer(), 64, 1);
            validationWindows = validationWindows.subList(0, Math.min(160, validationWindows.size()));
            float[][] train = nonBosRows(ResidualActivations.collect(lm.llamaModel(), hookName, trainWindows, 32));
            float[][] validation = nonBosRows(ResidualActivations.collect(lm.llamaModel(), hookName, validationWindows, 32));
            int dIn = train[0].length;
            log.info("Collected {} training and {} validation activations of width {} at {}", train.length,
                    validation.length, dIn, hookName);

            NDArray decoder = manager.randomNormal(new Shape(dSae, dIn));
            decoder = decoder.div(decoder.norm(new int[] {1}, true));
            NDArray encoder = decoder.transpose().duplicate();
            NDArray encoderBias = manager.zeros(new Shape(dSae));
            NDArray decoderBias = manager.create(mean(train));
            List<NDArray> parameters = List.of(encoder, encoderBias, decoder, decoderBias);
            parameters.forEach(parameter -> parameter.setRequiresGradient(true));
            AdamOptimizer adam = new AdamOptimizer(parameters, manager);

            long deadline = System.nanoTime() + (long) (minutes * 60e9);
            int step = 0;
            double runningLoss = Double.NaN;
            while (System.nanoTime() < deadline) {
                float[] batch = new float[batchSize * dIn];
                for (int i = 0; i < batchSize; i++) {
                    System.arraycopy(train[random.nextInt(train.length)], 0, batch, i * dIn, dIn);
                }
                float loss;
                try (NDManager scope = manager.newSubManager();
                        GradientCollector collector = Engine.getEngine(InferenceEngine.ENGINE_NAME).newGradientCollector()) {
                    NDArray x = scope.create(batch, new Shape(batchSize, dIn));
                    SparseAutoencoder sae = new SparseAutoencoder(SparseAutoencoder.Architecture.TOPK, hookName, k, true,
                            encoder, encoderBias, decoder, decoderBias, null);
                    NDArray error = sae.decode(sae.encode(x)).sub(x);
                    NDArray lossArray = error.square().sum(new int[] {1}).mean();
                    collector.backward(lossArray);
                    loss = lossArray.getFloat();
                }
                adam.step(learningRate);
                renormaliseRows(decoder);
                step++;
                runningLoss = Double.isNaN(runningLoss) ? loss : 0.98 * runningLoss + 0.02 * loss;
                if (step % 500 == 0) {
                    log.info("SAE step {}: reconstruction loss {} (moving average)", step, runningLoss);
                }
            }
            parameters.forEach(parameter -> parameter.setRequiresGradient(false));
            SparseAutoencoder sae = new SparseAutoencoder(SparseAutoencoder.Architecture.TOPK, hookName, k, true,
                    encoder, encoderBias, decoder, decoderBias, null);

            Map<String, Object> metrics = new LinkedHashMap<>(evaluate(sae, validation, manager));
            metrics.put("lm_loss_clean", ResidualActivations.languageModelLoss(lm.teacherForced(), sae,
                    validationWindows, false, false));
            metrics.put("lm_loss_with_sae", ResidualActivations.languageModelLoss(lm.teacherForced(), sae,
                    validationWindows, true, false));
            metrics.put("lm_loss_zero_ablation", ResidualActivations.languageModelLoss(lm.teacherForced(), sae,
                    validationWindows, true, true));
            metrics.put("training_steps", step);
            metrics.put("training_tokens", train.length);
            metrics.put("batch_size", batchSize);
            metrics.put("learning_rate", learningRate);
            log.info("SAE metrics on validation comments: {}", metrics);
            sae.save(out, "detox-lm", Map.of("training_metrics", metrics));

            ToxicityFeatureSelection.selectAndWrite(lm, sae, comments, out);
        }
    }

    /** L0, fraction of variance unexplained and dead features over {@code rows}. */
    static Map<String, Object> evaluate(SparseAutoencoder sae, float[][] rows, NDManager manager) {
        int dIn = rows[0].length;
        float[] flat = new float[rows.length * dIn];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * dIn, dIn);
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(flat, new Shape(rows.length, dIn));
            NDArray features = sae.encode(x);
            NDArray reconstruction = sae.decode(features);
            double residualSum = reconstruction.sub(x).square().sum().getFloat();
            double totalSum = x.sub(x.mean(new int[] {0}, true)).square().sum().getFloat();
            NDArray active = features.gt(0f);
            double l0 = active.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).sum(new int[] {1}).mean().getFloat();
            boolean[] fired = new boolean[sae.dSae()];
            float[] firedCounts = active.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).sum(new int[] {0})
                    .toFloatArray();
            int dead = 0;
            for (int f = 0; f < fired.length; f++) {
                if (firedCounts[f] == 0f) {
                    dead++;
                }
            }
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("validation_tokens", rows.length);
            metrics.put("l0", l0);
            metrics.put("fraction_of_variance_unexplained", residualSum / totalSum);
            metrics.put("dead_features", dead);
            return metrics;
        }
    }

    private static void renormaliseRows(NDArray decoder) {
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            decoder.divi(decoder.norm(new int[] {1}, true));
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    static float[][] nonBosRows(List<float[][]> sequences) {
        List<float[]> rows = new ArrayList<>();
        for (float[][] sequence : sequences) {
            for (int t = 1; t < sequence.length; t++) {
                rows.add(sequence[t]);
            }
        }
        return rows.toArray(new float[0][]);
    }

    private static float[] mean(float[][] rows) {
        float[] mean = new float[rows[0].length];
        for (float[] row : rows) {
            for (int j = 0; j < mean.length; j++) {
                mean[j] += row[j] / rows.length;
            }
        }
        return mean;
    }
}
