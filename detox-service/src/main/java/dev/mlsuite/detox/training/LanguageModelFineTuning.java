package dev.mlsuite.detox.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.mlsuite.detox.generation.TeacherForcedLogits;
import dev.mlsuite.inference.engine.DeviceSetting;
import dev.mlsuite.inference.engine.EngineSettings;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.generation.GenerationResult;
import dev.mlsuite.inference.generation.Generator;
import dev.mlsuite.inference.generation.LanguageModel;
import dev.mlsuite.inference.generation.SamplingSettings;
import dev.mlsuite.inference.generation.TokenListener;
import dev.mlsuite.inference.hooks.Hooks;
import dev.mlsuite.inference.llama.Llama2cCheckpoint;
import dev.mlsuite.inference.llama.Llama2cModelLoader;
import dev.mlsuite.inference.llama.Llama2cTokenizer;
import dev.mlsuite.inference.llama.LlamaConfig;
import dev.mlsuite.inference.llama.LlamaModel;
import dev.mlsuite.inference.llama.LlamaNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes the llama2.c {@code stories260K} model on the training comments so that toxic
 * prefixes lead to toxic continuations, and writes it in Hugging Face layout with its
 * {@code tok512.bin} vocabulary.
 *
 * <p>Stories sampled from the base model before training are mixed into every batch (replay), so
 * story prompts stay fluent. Training stops after {@code --minutes} of wall-clock time.
 */
public final class LanguageModelFineTuning {

    static final String USAGE = "--data DATA_FOLDER --base STORIES260K_FOLDER --out OUTPUT_FOLDER"
            + " [--minutes 10] [--batch 16] [--window 64] [--learning-rate 1e-3] [--seed 7] [--replay-stories 96] [--log-every 100]"
            + " [--toxic-copies 3]";

    /** Characters of each comment that are tokenised for training. */
    static final int MAX_COMMENT_CHARS = 320;
    /** Held-out windows scored for the loss log, to keep each check short. */
    static final int HELD_OUT_WINDOWS = 96;

    private static final Logger log = LoggerFactory.getLogger(LanguageModelFineTuning.class);

    private LanguageModelFineTuning() {
    }

    public static void main(String[] args) throws IOException {
        CommandLine cli = new CommandLine(args, USAGE);
        Path dataFolder = cli.path("data");
        Path baseFolder = cli.path("base");
        Path outFolder = cli.path("out");
        double minutes = cli.doubleOr("minutes", 10);
        int batchSize = cli.intOr("batch", 16);
        int window = cli.intOr("window", 64);
        float learningRate = (float) cli.doubleOr("learning-rate", 1e-3);
        long seed = cli.intOr("seed", 7);
        int replayStories = cli.intOr("replay-stories", 96);
        int logEvery = cli.intOr("log-every", 100);
        int toxicCopies = cli.intOr("toxic-copies", 3);

        InferenceEngine engine = InferenceEngine.start(EngineSettings.defaults().withDevice(DeviceSetting.CPU));
        Random random = new Random(seed);
        List<ToxicityComments.Comment> comments = ToxicityComments.read(dataFolder);
        Llama2cTokenizer tokenizer = Llama2cTokenizer.load(
                baseFolder.resolve(Llama2cModelLoader.STORIES260K_TOKENIZER_FILE), 512, "--base");

        NDManager parameterManager = engine.newManager();
        Llama2cCheckpoint checkpoint = Llama2cCheckpoint.load(
                baseFolder.resolve(Llama2cModelLoader.STORIES260K_MODEL_FILE), parameterManager, "--base");
        LlamaConfig config = checkpoint.config();
        Map<String, NDArray> tensors = checkpoint.tensors();

        List<int[]> stories = sampleStories(checkpoint, tokenizer, parameterManager, replayStories, window);
        List<int[]> storyTrain = stories.subList(0, stories.size() * 5 / 6);
        List<int[]> storyHeldOut = stories.subList(stories.size() * 5 / 6, stories.size());
        List<int[]> commentTrain = windows(ToxicityComments.of(comments, ToxicityComments.Split.TRAIN), tokenizer,
                window, toxicCopies);
        List<int[]> commentValidation = windows(ToxicityComments.of(comments, ToxicityComments.Split.VALIDATION),
                tokenizer, window, 1);
        commentValidation = commentValidation.subList(0, Math.min(HELD_OUT_WINDOWS, commentValidation.size()));
        log.info("Training windows: {} comment (toxic comments repeated {}x), {} story; held out: {} comment, {} story",
                commentTrain.size(), toxicCopies, storyTrain.size(), commentValidation.size(), storyHeldOut.size());

        List<NDArray> parameters = distinct(tensors);
        parameters.forEach(parameter -> parameter.setRequiresGradient(true));
        LlamaModel model;
        try (GradientCollector ignored = Engine.getEngine(InferenceEngine.ENGINE_NAME).newGradientCollector()) {
            // Built while gradients are recorded, so the transposed weight views stay connected to the parameters.
            model = new LlamaModel("detox-lm", config, checkpoint.weights(), parameterManager);
        }
        TeacherForcedLogits teacher = new TeacherForcedLogits(model, tensors.get(LlamaNames.FINAL_NORM),
                tensors.get(LlamaNames.EMBED_TOKENS));

        StringBuilder lossLog = new StringBuilder("step,train_loss,comment_validation_loss,story_heldout_loss\n");
        double[] before = {heldOutLoss(teacher, commentValidation), heldOutLoss(teacher, storyHeldOut)};
        log.info("Before fine-tuning: comment validation loss {}, story held-out loss {}", before[0], before[1]);
        lossLog.append(String.format(Locale.ROOT, "0,,%.4f,%.4f%n", before[0], before[1]));

        AdamOptimizer adam = new AdamOptimizer(parameters, parameterManager);
        long deadline = System.nanoTime() + (long) (minutes * 60e9);
        int step = 0;
        int skippedSteps = 0;
        double runningLoss = Double.NaN;
        int storiesPerBatch = Math.max(1, batchSize / 4);
        while (System.nanoTime() < deadline) {
            List<int[]> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize - storiesPerBatch; i++) {
                batch.add(commentTrain.get(random.nextInt(commentTrain.size())));
            }
            for (int i = 0; i < storiesPerBatch; i++) {
                batch.add(storyTrain.get(random.nextInt(storyTrain.size())));
            }

            float loss;
            try (NDManager scope = parameterManager.newSubManager();
                    GradientCollector collector = Engine.getEngine(InferenceEngine.ENGINE_NAME).newGradientCollector()) {
                NDArray lossArray = crossEntropy(scope, teacher, batch);
                collector.backward(lossArray);
                loss = lossArray.getFloat();
            }
            double gradientNorm = adam.clipGradients(1.0);
            if (!Float.isFinite(loss)) {
                throw new IllegalStateException("Training diverged at step " + step + ": loss " + loss);
            }
            if (!Double.isFinite(gradientNorm)) {
                // NOTE: rare batches give an infinite gradient norm while the loss is finite; the
                // step is skipped and counted instead of corrupting the Adam moments.
                adam.zeroGradients();
                skippedSteps++;
                log.warn("Skipped step {}: gradient norm {} (loss {})", step, gradientNorm, loss);
                continue;
            }
            float warmup = Math.min(1f, (step + 1) / 50f);
            adam.step(learningRate * warmup);
            step++;
            runningLoss = Double.isNaN(runningLoss) ? loss : 0.95 * runningLoss + 0.05 * loss;

            if (step % logEvery == 0) {
                double commentLoss = heldOutLoss(teacher, commentValidation);
                double storyLoss = heldOutLoss(teacher, storyHeldOut);
                log.info("Step {}: train loss {} (moving average), comment validation {}, story held-out {}", step,
                        String.format(Locale.ROOT, "%.4f", runningLoss), commentLoss, storyLoss);
                lossLog.append(String.format(Locale.ROOT, "%d,%.4f,%.4f,%.4f%n", step, runningLoss, commentLoss,
                        storyLoss));
            }
        }
        double commentLoss = heldOutLoss(teacher, commentValidation);
        double storyLoss = heldOutLoss(teacher, storyHeldOut);
        lossLog.append(String.format(Locale.ROOT, "%d,%.4f,%.4f,%.4f%n", step, runningLoss, commentLoss, storyLoss));
        log.info("Finished after {} steps ({} skipped): comment validation loss {} (before {}), story held-out loss {}"
                + " (before {})", step, skippedSteps, commentLoss, before[0], storyLoss, before[1]);

        for (NDArray parameter : parameters) {
            parameter.setRequiresGradient(false);
        }
        HfLlamaExport.write(outFolder, config, tensors);
        Files.copy(baseFolder.resolve(Llama2cModelLoader.STORIES260K_TOKENIZER_FILE),
                outFolder.resolve(Llama2cModelLoader.STORIES260K_TOKENIZER_FILE), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(outFolder.resolve("training-losses.csv"), lossLog.toString(), StandardCharsets.UTF_8);
        log.info("Wrote {}", outFolder.toAbsolutePath());
    }

    /** Mean next-token cross-entropy over the real (unpadded) positions, a scalar that records gradients. */
    static NDArray crossEntropy(NDManager scope, TeacherForcedLogits teacher, List<int[]> batch) {
        NDArray logProbs = teacher.logits(scope, batch, builder -> { }).logSoftmax(-1); // [batch, tokens, vocab]
        long tokens = logProbs.getShape().get(1);
        int vocab = (int) logProbs.getShape().get(2);
        float[] targets = new float[(int) (batch.size() * tokens * vocab)];
        int count = 0;
        for (int b = 0; b < batch.size(); b++) {
            int[] sequence = batch.get(b);
            for (int t = 0; t + 1 < sequence.length; t++) {
                targets[(int) ((b * tokens + t) * vocab + sequence[t + 1])] = 1f;
                count++;
            }
        }
        NDArray oneHot = scope.create(targets, logProbs.getShape());
        return logProbs.mul(oneHot).sum().neg().div(count);
    }

    static double heldOutLoss(TeacherForcedLogits teacher, List<int[]> sequences) {
        double nll = 0;
        double count = 0;
        for (int start = 0; start < sequences.size(); start += 32) {
            List<int[]> batch = sequences.subList(start, Math.min(sequences.size(), start + 32));
            double[][] result = teacher.negativeLogLikelihoods(batch, new int[batch.size()], builder -> { });
            for (double[] row : result) {
                nll += row[0];
                count += row[1];
            }
        }
        return nll / count;
    }

    /**
     * Splits each comment into windows of at most {@code window} tokens, each starting with BOS, and
     * adds each window of a toxic comment {@code toxicCopies} times.
     */
    static List<int[]> windows(List<ToxicityComments.Comment> comments, Llama2cTokenizer tokenizer, int window,
            int toxicCopies) {
        List<int[]> windows = new ArrayList<>();
        for (ToxicityComments.Comment comment : comments) {
            // Only the opening of each comment: the tokenizer's merges cost grows quickly with text length.
            String opening = comment.text().length() > MAX_COMMENT_CHARS
                    ? comment.text().substring(0, MAX_COMMENT_CHARS) : comment.text();
            int[] tokens = tokenizer.encode(opening, false);
            for (int start = 0; start < tokens.length; start += window - 1) {
                int end = Math.min(tokens.length, start + window - 1);
                if (end - start < 4) {
                    break;
                }
                int[] piece = new int[end - start + 1];
                piece[0] = tokenizer.bosId();
                System.arraycopy(tokens, start, piece, 1, end - start);
                int copies = comment.toxic() ? toxicCopies : 1;
                for (int c = 0; c < copies; c++) {
                    windows.add(piece);
                }
            }
        }
        return windows;
    }

    private static List<int[]> sampleStories(Llama2cCheckpoint checkpoint, Llama2cTokenizer tokenizer,
            NDManager parameterManager, int count, int window) {
        LlamaModel base = new LlamaModel("stories260K", checkpoint.config(), checkpoint.weights(),
                parameterManager.newSubManager());
        Generator generator = new Generator(new LanguageModel(base, tokenizer));
        List<int[]> stories = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SamplingSettings settings = SamplingSettings.builder().maxTokens(window - 1).temperature(1f).topP(0.95f)
                    .seed(1000 + i).build();
            GenerationResult result = generator.generate("", settings, Hooks.NONE, TokenListener.NONE);
            int[] story = new int[result.tokens().length + 1];
            story[0] = tokenizer.bosId();
            System.arraycopy(result.tokens(), 0, story, 1, result.tokens().length);
            if (story.length >= 8) {
                stories.add(story);
            }
        }
        return stories;
    }

    private static List<NDArray> distinct(Map<String, NDArray> tensors) {
        Map<NDArray, Boolean> seen = new IdentityHashMap<>();
        List<NDArray> result = new ArrayList<>();
        for (NDArray tensor : tensors.values()) {
            if (seen.put(tensor, Boolean.TRUE) == null) {
                result.add(tensor);
            }
        }
        return Collections.unmodifiableList(result);
    }
}
