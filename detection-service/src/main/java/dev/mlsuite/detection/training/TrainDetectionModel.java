package dev.mlsuite.detection.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;

import ai.djl.ndarray.NDManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mlsuite.detection.model.ChunkingSettings;
import dev.mlsuite.detection.model.ClassificationHead;
import dev.mlsuite.detection.model.DetectionModelMetadata;
import dev.mlsuite.detection.model.EmbeddingHeadDetector;
import dev.mlsuite.detection.model.HeadModelFiles;
import dev.mlsuite.detection.model.MiniLm;
import dev.mlsuite.detection.model.PlattCalibration;
import dev.mlsuite.detection.model.WindowEncoder;
import dev.mlsuite.detection.preprocessing.PreprocessingSettings;
import dev.mlsuite.detection.preprocessing.TextPreprocessor;
import dev.mlsuite.inference.bert.Pooling;
import dev.mlsuite.inference.engine.InferenceEngine;

/**
 * Trains and evaluates the default detection model and writes its files and model card.
 *
 * <p>Usage: {@code TrainDetectionModel DATA_DIR [--models DIR] [--card FILE] [--cache DIR] [--seed N]
 * [--threshold P]}, where {@code DATA_DIR} contains {@code Human_Data} and {@code GPT_Data}.
 *
 * <p>Steps: split the human and AI documents 60/40 stratified by source set; embed every document
 * with all-MiniLM-L6-v2 once without and once with preprocessing; for each variant and head shape,
 * run 5-fold cross-validation on the training split, fit Platt scaling on the out-of-fold logits and
 * train the head on the whole training split; keep the candidate with the best cross-validation
 * accuracy; evaluate every candidate on the test split beside the RoBERTa OpenAI detector's scores.
 */
public final class TrainDetectionModel {

    static final double TRAIN_FRACTION = 0.6;
    static final int FOLDS = 5;
    static final long DEFAULT_SEED = 42;
    static final double DEFAULT_THRESHOLD = 0.5;
    static final String MODEL_NAME = "minilm-l6-detection-head";
    static final String MODEL_VERSION = "1.0.0";
    static final String TRAINING_DATA = "Weixin-Liang/ChatGPT-Detector-Bias @ 1d05ed8242d4694a0ed7b73a79c52be8864470f9,"
            + " Data_and_Results (MIT)";
    static final List<Integer> HIDDEN_UNIT_CHOICES = List.of(0, 64);
    static final Map<String, PreprocessingSettings> VARIANTS = new LinkedHashMap<>();

    static {
        VARIANTS.put("raw", PreprocessingSettings.NONE);
        VARIANTS.put("preprocessed", PreprocessingSettings.ALL_STEPS);
    }

    private static final Logger log = LoggerFactory.getLogger(TrainDetectionModel.class);
    private static final int DOCUMENTS_PER_LOG = 64;

    private TrainDetectionModel() {
    }

    /** Options of one run, parsed from the command line. */
    record Options(Path dataDirectory, Path modelDirectory, Path cardFile, Path cacheDirectory, long seed,
            double threshold) {

        static Options parse(String[] args) {
            if (args.length == 0 || args[0].startsWith("--")) {
                throw new IllegalArgumentException("Missing data folder. Usage: TrainDetectionModel DATA_DIR"
                        + " [--models DIR] [--card FILE] [--cache DIR] [--seed N] [--threshold P]");
            }
            Path data = Path.of(args[0]);
            Path models = Path.of("models/detection");
            Path card = Path.of("docs/models/detection.md");
            Path cache = Path.of("detection-service/target/embedding-cache");
            long seed = DEFAULT_SEED;
            double threshold = DEFAULT_THRESHOLD;
            for (int i = 1; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("Option " + args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--models" -> models = Path.of(value);
                    case "--card" -> card = Path.of(value);
                    case "--cache" -> cache = Path.of(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--threshold" -> threshold = Double.parseDouble(value);
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]
                            + "; valid options: --models, --card, --cache, --seed, --threshold");
                }
            }
            return new Options(data, models, card, cache, seed, threshold);
        }
    }

    public static void main(String[] args) throws IOException {
        // Outside Spring Boot, Logback's default configuration logs at DEBUG, which floods the console with DJL details.
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root
                && System.getProperty("logback.configurationFile") == null) {
            root.setLevel(ch.qos.logback.classic.Level.INFO);
        }
        Options options = Options.parse(args);
        long start = System.nanoTime();

        DetectionCorpus corpus = DetectionCorpus.load(options.dataDirectory());
        CorpusSplit split = corpus.split(TRAIN_FRACTION, options.seed());
        log.info("Corpus: {} training, {} test and {} GPT-rewritten documents", split.train().size(),
                split.test().size(), split.gptRewritten().size());

        InferenceEngine engine = InferenceEngine.startDefault();
        List<String> embeddingTimes = new ArrayList<>();
        Map<String, Map<String, float[]>> embeddings = embedVariants(engine, corpus, options, embeddingTimes);

        List<CandidateResult> candidates = new ArrayList<>();
        for (Map.Entry<String, PreprocessingSettings> variant : VARIANTS.entrySet()) {
            for (int hiddenUnits : HIDDEN_UNIT_CHOICES) {
                candidates.add(trainCandidate(engine, split, variant.getKey(), variant.getValue(), hiddenUnits,
                        embeddings.get(variant.getKey()), options));
            }
        }
        CandidateResult best = candidates.stream()
                .max(Comparator.comparingDouble(CandidateResult::crossValidationAccuracy)
                        .thenComparing(Comparator.comparingDouble(CandidateResult::crossValidationLogLoss).reversed()))
                .orElseThrow();
        log.info("Selected {} with {} (cross-validation accuracy {})", best.variant(), best.headDescription(),
                best.crossValidationAccuracy());

        DetectionModelMetadata metadata = new DetectionModelMetadata(MODEL_NAME, MODEL_VERSION,
                DetectionModelMetadata.MINILM_ENCODER, best.preprocessing(), ChunkingSettings.DEFAULT,
                best.hiddenUnits(), best.calibration(), options.threshold(), TRAINING_DATA, options.seed());
        try (NDManager manager = engine.newManager()) {
            HeadModelFiles.write(options.modelDirectory(), metadata, best.head(), manager);
        }
        writeTestSplit(options.modelDirectory().resolve("test-split.txt"), split);

        Path plot = options.cardFile().resolveSibling("detection-loss.png");
        LossPlot.write(plot, "Detection head loss per epoch (" + best.variant() + ", " + best.headDescription() + ")",
                List.of(new LossPlot.Series("training split (BCE)", best.trainLossPerEpoch(), new java.awt.Color(31, 119, 180)),
                        new LossPlot.Series("test split (BCE, monitoring only)", best.testLossPerEpoch(),
                                new java.awt.Color(255, 127, 14))));
        String card = ModelCard.render(split, candidates, best, metadata, plot.getFileName().toString(),
                (System.nanoTime() - start) / 1e9, String.join(", ", embeddingTimes));
        Files.createDirectories(options.cardFile().toAbsolutePath().getParent());
        Files.writeString(options.cardFile(), card);
        log.info("Wrote {}, {} and {} in {} s", options.modelDirectory(), options.cardFile(), plot,
                (System.nanoTime() - start) / 1_000_000_000);
    }

    /**
     * Returns the document embeddings of each preprocessing variant by document id, from the cache
     * where it has them.
     *
     * @param embeddingTimes receives one entry per variant, such as {@code raw 913 s}, for the model card
     */
    private static Map<String, Map<String, float[]>> embedVariants(InferenceEngine engine, DetectionCorpus corpus,
            Options options,
            List<String> embeddingTimes) throws IOException {
        EmbeddingCache cache = new EmbeddingCache(options.cacheDirectory());
        List<String> ids = corpus.documents().stream().map(CorpusDocument::id).toList();
        Map<String, Map<String, float[]>> result = new LinkedHashMap<>();

        WindowEncoder encoder = null;
        try {
            for (Map.Entry<String, PreprocessingSettings> variant : VARIANTS.entrySet()) {
                String key = variant.getKey() + "-w" + ChunkingSettings.DEFAULT.windowTokens() + "-o"
                        + ChunkingSettings.DEFAULT.overlapTokens();
                Optional<float[][]> cached = cache.read(key, ids);
                float[][] vectors;
                if (cached.isPresent()) {
                    log.info("Using cached embeddings for variant {}", variant.getKey());
                    vectors = cached.get();
                    embeddingTimes.add(variant.getKey() + " read from the cache");
                } else {
                    if (encoder == null) {
                        encoder = MiniLm.load(ChunkingSettings.DEFAULT, engine.device());
                    }
                    long embeddingStart = System.nanoTime();
                    vectors = embedAll(encoder, corpus.documents(), variant.getValue(), variant.getKey());
                    cache.write(key, ids, vectors);
                    embeddingTimes.add(variant.getKey() + " " + (System.nanoTime() - embeddingStart) / 1_000_000_000
                            + " s");
                }
                Map<String, float[]> byId = new LinkedHashMap<>();
                for (int i = 0; i < ids.size(); i++) {
                    byId.put(ids.get(i), vectors[i]);
                }
                result.put(variant.getKey(), byId);
            }
        } finally {
            if (encoder != null) {
                encoder.close();
            }
        }
        return result;
    }

    private static float[][] embedAll(WindowEncoder encoder, List<CorpusDocument> documents,
            PreprocessingSettings preprocessing, String variant) {
        long start = System.nanoTime();
        float[][] vectors = new float[documents.size()][];
        try (TextPreprocessor preprocessor = new TextPreprocessor(preprocessing)) {
            for (int first = 0; first < documents.size(); first += DOCUMENTS_PER_LOG) {
                int end = Math.min(documents.size(), first + DOCUMENTS_PER_LOG);
                List<String> texts = documents.subList(first, end).stream()
                        .map(document -> preprocessor.apply(document.text())).toList();
                List<float[]> batch = EmbeddingHeadDetector.meanOfWindows(encoder.encode(texts, Pooling.MEAN, true));
                for (int i = 0; i < batch.size(); i++) {
                    vectors[first + i] = batch.get(i);
                }
                log.info("Embedded {}/{} documents ({}) after {} s", end, documents.size(), variant,
                        (System.nanoTime() - start) / 1_000_000_000);
            }
        }
        return vectors;
    }

    private static CandidateResult trainCandidate(InferenceEngine engine, CorpusSplit split, String variant,
            PreprocessingSettings preprocessing, int hiddenUnits, Map<String, float[]> embeddings, Options options) {
        HeadTrainingSettings settings = headSettings(hiddenUnits, options.seed());
        List<CorpusDocument> train = split.train();
        int[] folds = stratifiedFolds(train, options.seed());
        double[] outOfFoldLogits = new double[train.size()];

        for (int fold = 0; fold < FOLDS; fold++) {
            List<CorpusDocument> fitPart = new ArrayList<>();
            List<Integer> heldOut = new ArrayList<>();
            for (int i = 0; i < train.size(); i++) {
                if (folds[i] == fold) {
                    heldOut.add(i);
                } else {
                    fitPart.add(train.get(i));
                }
            }
            ClassificationHead head = new HeadTrainer(engine, settings)
                    .train(features(fitPart, embeddings), labels(fitPart)).head();
            for (int i : heldOut) {
                outOfFoldLogits[i] = head.logit(embeddings.get(train.get(i).id()));
            }
        }
        int[] trainLabels = labels(train);
        PlattCalibration calibration = PlattCalibration.fit(outOfFoldLogits, trainLabels);
        double crossValidationAccuracy = 0;
        double crossValidationLogLoss = 0;
        for (int i = 0; i < train.size(); i++) {
            double probability = calibration.probability(outOfFoldLogits[i]);
            crossValidationAccuracy += ((probability >= options.threshold() ? 1 : 0) == trainLabels[i]) ? 1 : 0;
            double clipped = Math.min(1 - 1e-7, Math.max(1e-7, probability));
            crossValidationLogLoss -= trainLabels[i] == 1 ? Math.log(clipped) : Math.log(1 - clipped);
        }
        crossValidationAccuracy /= train.size();
        crossValidationLogLoss /= train.size();

        List<CorpusDocument> test = split.test();
        HeadTrainer.Result full = new HeadTrainer(engine, settings).train(features(train, embeddings), trainLabels,
                features(test, embeddings), labels(test));
        double[] testProbabilities = probabilities(full.head(), calibration, test, embeddings);
        double[] rewrittenProbabilities = probabilities(full.head(), calibration, split.gptRewritten(), embeddings);
        BinaryMetrics testMetrics = BinaryMetrics.of(testProbabilities, labels(test), options.threshold());
        log.info("Candidate {} / {} hidden units: cross-validation accuracy {}, test accuracy {}, AUROC {}", variant,
                hiddenUnits, crossValidationAccuracy, testMetrics.accuracy(), testMetrics.auroc());
        return new CandidateResult(variant, preprocessing, hiddenUnits, crossValidationAccuracy,
                crossValidationLogLoss, full.head(), calibration, full.trainLossPerEpoch(),
                full.evaluationLossPerEpoch(), testProbabilities, rewrittenProbabilities, testMetrics);
    }

    /** Head hyperparameters, fixed before looking at the test split. */
    static HeadTrainingSettings headSettings(int hiddenUnits, long seed) {
        return hiddenUnits == 0
                ? new HeadTrainingSettings(0, 200, 32, 0.01f, 1e-4f, seed)
                : new HeadTrainingSettings(hiddenUnits, 100, 32, 0.002f, 1e-4f, seed);
    }

    /** Assigns each training document a fold, round-robin within each source set after a seeded shuffle. */
    static int[] stratifiedFolds(List<CorpusDocument> documents, long seed) {
        Map<String, List<Integer>> bySet = new LinkedHashMap<>();
        for (int i = 0; i < documents.size(); i++) {
            bySet.computeIfAbsent(documents.get(i).sourceSet(), set -> new ArrayList<>()).add(i);
        }
        Random random = new Random(seed + 1);
        int[] folds = new int[documents.size()];
        for (List<Integer> indices : bySet.values()) {
            java.util.Collections.shuffle(indices, random);
            for (int k = 0; k < indices.size(); k++) {
                folds[indices.get(k)] = k % FOLDS;
            }
        }
        return folds;
    }

    private static double[] probabilities(ClassificationHead head, PlattCalibration calibration,
            List<CorpusDocument> documents, Map<String, float[]> embeddings) {
        double[] probabilities = new double[documents.size()];
        for (int i = 0; i < documents.size(); i++) {
            probabilities[i] = calibration.probability(head.logit(embeddings.get(documents.get(i).id())));
        }
        return probabilities;
    }

    static float[][] features(List<CorpusDocument> documents, Map<String, float[]> embeddings) {
        return documents.stream().map(document -> embeddings.get(document.id())).toArray(float[][]::new);
    }

    static int[] labels(List<CorpusDocument> documents) {
        return documents.stream().mapToInt(CorpusDocument::label).toArray();
    }

    private static void writeTestSplit(Path file, CorpusSplit split) throws IOException {
        String ids = split.test().stream().map(CorpusDocument::id).collect(Collectors.joining("\n"));
        Files.writeString(file, "# Test-split document ids (source set#index in data.json), one a line.\n" + ids + "\n");
    }
}
