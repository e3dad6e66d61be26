package dev.mlsuite.ocr.training;

import ai.djl.ndarray.NDManager;
import dev.mlsuite.ocr.model.DocumentQaConfig;
import dev.mlsuite.ocr.model.DocumentQaModel;
import dev.mlsuite.ocr.training.synthetic.ReceiptRenderer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the default document QA model in two time-boxed phases: synthetic documents, then SROIE
 * receipts mixed with synthetic ones. A checkpoint (weights, phase times, step, loss log) is
 * written every {@code --checkpoint-seconds}; running the command again with the same checkpoint
 * folder resumes where it stopped.
 *
 * <pre>
 * OcrTrainingCommand DATA_DIR MODEL_DIR [--checkpoint-dir DIR] [--synthetic-minutes 8]
 *     [--sroie-minutes 8] [--synthetic-pages 600] [--documents-per-batch 4] [--learning-rate 0.001] [--seed 7]
 * </pre>
 *
 * <p>NOTE: Adam's moment estimates are not part of the checkpoint, so a resumed run restarts them.
 */
public final class OcrTrainingCommand {

    private static final Logger log = LoggerFactory.getLogger(OcrTrainingCommand.class);
    private static final String LOG_FILE = "training_log.csv";
    private static final String STATE_FILE = "state.properties";
    private static final double SROIE_SHARE = 0.75;

    private OcrTrainingCommand() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("Usage: OcrTrainingCommand DATA_DIR MODEL_DIR [--checkpoint-dir DIR]"
                    + " [--synthetic-minutes M] [--sroie-minutes M] [--documents-per-batch N]"
                    + " [--learning-rate LR] [--seed N]");
            System.exit(2);
        }
        Path dataDirectory = Path.of(args[0]);
        Path modelDirectory = Path.of(args[1]);
        Map<String, String> options = Options.parse(args, 2);
        Path checkpointDirectory = Path.of(options.getOrDefault("checkpoint-dir", "target/ocr-training"));
        double syntheticSeconds = 60 * Double.parseDouble(options.getOrDefault("synthetic-minutes", "8"));
        double sroieSeconds = 60 * Double.parseDouble(options.getOrDefault("sroie-minutes", "8"));
        int documentsPerBatch = Integer.parseInt(options.getOrDefault("documents-per-batch", "4"));
        float learningRate = Float.parseFloat(options.getOrDefault("learning-rate", "0.001"));
        long seed = Long.parseLong(options.getOrDefault("seed", "7"));
        double checkpointSeconds = Double.parseDouble(options.getOrDefault("checkpoint-seconds", "120"));
        int syntheticPages = Integer.parseInt(options.getOrDefault("synthetic-pages", "600"));

        DocumentQaConfig config = DocumentQaConfig.small();
        List<LabelledDocument> sroie = SroieDataset.load(dataDirectory, SroieDataset.trainingIds(dataDirectory),
                config.imageWidth(), config.imageHeight());
        log.info("Loaded {} SROIE training receipts; {} are held out", sroie.size(), SroieDataset.HELD_OUT);

        try (NDManager manager = NDManager.newBaseManager()) {
            Properties state = readState(checkpointDirectory);
            DocumentQaModel model = Files.isRegularFile(checkpointDirectory.resolve(DocumentQaModel.WEIGHTS_FILE))
                    ? DocumentQaModel.load(checkpointDirectory, manager)
                    : DocumentQaModel.initialise(config, seed, manager);
            log.info("Model has {} parameters; resuming at step {}", model.parameterCount(),
                    state.getProperty("step", "0"));
            SyntheticPool pool = new SyntheticPool(config.imageWidth(), config.imageHeight(), syntheticPages);
            log.info("Rendered {} synthetic training pages", pool.size());
            train(model, sroie, pool, state, checkpointDirectory, new double[] {syntheticSeconds, sroieSeconds},
                    documentsPerBatch, learningRate, seed, checkpointSeconds);
            model.save(modelDirectory, Map.of("steps", state.getProperty("step", "0")));
            if (Files.isRegularFile(checkpointDirectory.resolve(LOG_FILE))) {
                Files.copy(checkpointDirectory.resolve(LOG_FILE), modelDirectory.resolve(LOG_FILE),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            log.info("Wrote the trained model to {}", modelDirectory.toAbsolutePath());
        }
    }

    private static void train(DocumentQaModel model, List<LabelledDocument> sroie, SyntheticPool pool,
            Properties state, Path checkpointDirectory, double[] phaseSeconds, int documentsPerBatch,
            float learningRate, long seed, double checkpointSeconds) throws IOException {
        OcrTrainer trainer = new OcrTrainer(model, learningRate, 1f);
        int step = Integer.parseInt(state.getProperty("step", "0"));
        Random random = new Random(seed + step);

        for (int phase = 0; phase < 2; phase++) {
            String key = "phase" + phase + ".seconds";
            double done = Double.parseDouble(state.getProperty(key, "0"));
            long phaseStart = System.nanoTime();
            long lastCheckpoint = System.nanoTime();
            double lossSum = 0;
            int lossCount = 0;
            while (done + seconds(phaseStart) < phaseSeconds[phase]) {
                List<LabelledDocument> batch = new ArrayList<>(documentsPerBatch);
                for (int i = 0; i < documentsPerBatch; i++) {
                    boolean fromSroie = phase == 1 && random.nextDouble() < SROIE_SHARE;
                    batch.add(fromSroie ? sroie.get(random.nextInt(sroie.size())) : pool.sample(random));
                }
                double loss = trainer.step(batch, random);
                step++;
                if (Double.isFinite(loss)) {
                    lossSum += loss;
                    lossCount++;
                }
                if (step % 10 == 0 && lossCount > 0) {
                    appendLog(checkpointDirectory, step, phase, lossSum / lossCount, done + seconds(phaseStart));
                    log.info("phase {} step {} loss {} ({} s of {} s, {} synthetic pages)", phase, step,
                            String.format(Locale.ROOT, "%.4f", lossSum / lossCount),
                            Math.round(done + seconds(phaseStart)), Math.round(phaseSeconds[phase]), pool.size());
                    lossSum = 0;
                    lossCount = 0;
                }
                if (seconds(lastCheckpoint) >= checkpointSeconds) {
                    state.setProperty(key, Double.toString(done + seconds(phaseStart)));
                    state.setProperty("step", Integer.toString(step));
                    writeCheckpoint(model, state, checkpointDirectory);
                    lastCheckpoint = System.nanoTime();
                }
            }
            state.setProperty(key, Double.toString(Math.max(done + seconds(phaseStart), phaseSeconds[phase])));
            state.setProperty("step", Integer.toString(step));
            writeCheckpoint(model, state, checkpointDirectory);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static Properties readState(Path checkpointDirectory) throws IOException {
        Properties state = new Properties();
        Path file = checkpointDirectory.resolve(STATE_FILE);
        if (Files.isRegularFile(file)) {
            try (var reader = Files.newBufferedReader(file)) {
                state.load(reader);
            }
        }
        return state;
    }

    private static void writeCheckpoint(DocumentQaModel model, Properties state, Path checkpointDirectory)
            throws IOException {
        model.save(checkpointDirectory, Map.of("steps", state.getProperty("step", "0")));
        try (var writer = Files.newBufferedWriter(checkpointDirectory.resolve(STATE_FILE))) {
            state.store(writer, "OCR training progress");
        }
        log.info("Checkpoint at step {} written to {}", state.getProperty("step"), checkpointDirectory);
    }

    private static void appendLog(Path checkpointDirectory, int step, int phase, double loss, double phaseSeconds)
            throws IOException {
        Files.createDirectories(checkpointDirectory);
        Path file = checkpointDirectory.resolve(LOG_FILE);
        if (!Files.exists(file)) {
            Files.writeString(file, "step,phase,loss,phase_seconds\n", StandardCharsets.UTF_8);
        }
        Files.writeString(file, String.format(Locale.ROOT, "%d,%d,%.5f,%.1f%n", step, phase, loss, phaseSeconds),
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /**
     * Synthetic training pages, rendered before training starts.
     *
     * <p>NOTE: an earlier version rendered on a background thread while training ran; those runs
     * produced non-finite gradients after some 40 to 80 steps, which runs with pages rendered up
     * front never did. The cause is not understood yet.
     */
    static final class SyntheticPool {

        private final List<LabelledDocument> documents = new ArrayList<>();

        SyntheticPool(int width, int height, int size) {
            ReceiptRenderer renderer = new ReceiptRenderer(SyntheticDocuments.PAGE_WIDTH,
                    SyntheticDocuments.PAGE_HEIGHT);
            for (long seed = 0; seed < size; seed++) {
                documents.add(SyntheticDocuments.render(renderer, seed, width, height));
            }
        }

        LabelledDocument sample(Random random) {
            return documents.get(random.nextInt(documents.size()));
        }

        int size() {
            return documents.size();
        }
    }
}
