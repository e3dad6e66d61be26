package dev.mlsuite.detection.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import ai.djl.ndarray.NDManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mlsuite.detection.model.ClassificationHead;
import dev.mlsuite.detection.model.EmbeddingHeadDetector;
import dev.mlsuite.detection.model.HeadModelFiles;
import dev.mlsuite.detection.model.MiniLm;
import dev.mlsuite.detection.model.PlattCalibration;
import dev.mlsuite.detection.model.ReducedCalibration;
import dev.mlsuite.detection.model.ReducedCalibrations;
import dev.mlsuite.detection.model.WindowEncoder;
import dev.mlsuite.detection.preprocessing.TextPreprocessor;
import dev.mlsuite.inference.bert.Pooling;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.reduction.ReductionAlgorithm;
import dev.mlsuite.inference.reduction.ReductionSettings;
import dev.mlsuite.inference.reduction.TokenReductionHook;

/**
 * Refits the Platt calibration of the default detection model for each token reduction setting
 * and writes one {@link ReducedCalibration} file per setting into {@code MODEL_DIR/reduction}.
 *
 * <p>Usage: {@code FitReducedCalibrations DATA_DIR [--models DIR] [--ratios 0.85,0.8,0.75,0.7]
 * [--documents N] [--cache DIR]}.
 *
 * <p>The logits come from training-split documents only, the split of {@link TrainDetectionModel}
 * with the model's seed. The command stops if that split overlaps {@code test-split.txt}. As in
 * training, the calibration is fitted on out-of-fold logits. The five fold heads are trained again
 * on the unreduced embeddings of the whole training split, and each document's reduced embedding
 * is scored by the head of the fold that excluded it. Only the first {@code N} documents of a
 * seeded shuffle of the training split are encoded with reduction, to limit the compute.
 */
public final class FitReducedCalibrations {

    private static final Logger log = LoggerFactory.getLogger(FitReducedCalibrations.class);
    private static final List<Double> DEFAULT_RATIOS = List.of(0.85, 0.8, 0.75, 0.7);
    private static final int DEFAULT_DOCUMENTS = 200;
    private static final int DOCUMENTS_PER_BATCH = 32;

    private FitReducedCalibrations() {
    }

    /** Options of one run, parsed from the command line. */
    record Options(Path dataDirectory, Path modelDirectory, List<Double> ratios, int documents, Path cacheDirectory) {

        static Options parse(String[] args) {
            if (args.length == 0 || args[0].startsWith("--")) {
                throw new IllegalArgumentException("Missing data folder. Usage: FitReducedCalibrations DATA_DIR"
                        + " [--models DIR] [--ratios 0.85,0.8] [--documents N] [--cache DIR]");
            }
            Path data = Path.of(args[0]);
            if (!Files.isDirectory(data.resolve(DetectionCorpus.HUMAN_FOLDER))
                    && Files.isDirectory(data.resolve("detection"))) {
                data = data.resolve("detection");
            }
            Path models = Path.of("models/detection");
            List<Double> ratios = DEFAULT_RATIOS;
            int documents = DEFAULT_DOCUMENTS;
            Path cache = Path.of("detection-service/target/reduction-cache");
            for (int i = 1; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("Option " + args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--models" -> models = Path.of(value);
                    case "--ratios" -> ratios = parseRatios(value);
                    case "--documents" -> documents = Integer.parseInt(value);
                    case "--cache" -> cache = Path.of(value);
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]
                            + "; valid options: --models, --ratios, --documents, --cache");
                }
            }
            if (documents < 10) {
                throw new IllegalArgumentException("--documents " + documents + " is too few to fit a calibration."
                        + " Use at least 10");
            }
            return new Options(data, models, ratios, documents, cache);
        }

        private static List<Double> parseRatios(String value) {
            List<Double> ratios = new ArrayList<>();
            for (String part : value.split(",")) {
                ratios.add(Double.parseDouble(part.trim()));
            }
            return ratios;
        }
    }

    public static void main(String[] args) throws IOException {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root
                && System.getProperty("logback.configurationFile") == null) {
            root.setLevel(ch.qos.logback.classic.Level.INFO);
        }
        Options options = Options.parse(args);
        long start = System.nanoTime();
        InferenceEngine engine = InferenceEngine.startDefault();
        HeadModelFiles.LoadedHead loaded;
        try (NDManager manager = engine.newManager()) {
            loaded = HeadModelFiles.read(options.modelDirectory(), manager, "--models");
        }
        long seed = loaded.metadata().seed();

        List<CorpusDocument> train = trainingDocuments(options, seed);
        int[] folds = TrainDetectionModel.stratifiedFolds(train, seed);
        List<Integer> subset = subset(train.size(), options.documents(), seed);
        log.info("{} training documents, {} of them encoded with each reduction setting", train.size(),
                subset.size());

        EmbeddingCache cache = new EmbeddingCache(options.cacheDirectory());
        try (TextPreprocessor preprocessor = new TextPreprocessor(loaded.metadata().preprocessing());
                WindowEncoder encoder = MiniLm.load(loaded.metadata().chunking(), engine.device())) {
            List<String> texts = train.stream().map(document -> preprocessor.apply(document.text())).toList();
            List<String> ids = train.stream().map(CorpusDocument::id).toList();

            float[][] unreduced = embed(cache, "train-none", ids, texts, encoder, ReductionSettings.NONE);
            ClassificationHead[] foldHeads = foldHeads(engine, train, folds, unreduced, loaded.metadata().hiddenUnits(),
                    seed);

            List<String> subsetIds = subset.stream().map(ids::get).toList();
            List<String> subsetTexts = subset.stream().map(texts::get).toList();
            int[] subsetLabels = subset.stream().mapToInt(i -> train.get(i).label()).toArray();
            double threshold = loaded.metadata().threshold();

            float[][] subsetUnreduced = subset.stream().map(i -> unreduced[i]).toArray(float[][]::new);
            double[] unreducedLogits = outOfFoldLogits(foldHeads, folds, subset, subsetUnreduced);
            PlattCalibration check = PlattCalibration.fit(unreducedLogits, subsetLabels);
            log.info("No reduction on the subset: fitted scale {} and offset {} (model.json: {} and {}), accuracy {}",
                    format(check.scale()), format(check.offset()), format(loaded.metadata().calibration().scale()),
                    format(loaded.metadata().calibration().offset()),
                    format(accuracy(loaded.metadata().calibration(), unreducedLogits, subsetLabels, threshold)));

            for (double ratio : options.ratios()) {
                for (ReductionAlgorithm algorithm : List.of(ReductionAlgorithm.TOME, ReductionAlgorithm.PITOME)) {
                    ReductionSettings settings = ReductionSettings.ofRatio(algorithm, ratio);
                    String key = "train-" + ReducedCalibration.fileName(settings).replace(".json", "")
                            + "-n" + subset.size();
                    float[][] reduced = embed(cache, key, subsetIds, subsetTexts, encoder, settings);
                    double[] logits = outOfFoldLogits(foldHeads, folds, subset, reduced);
                    PlattCalibration fitted = PlattCalibration.fit(logits, subsetLabels);
                    ReducedCalibration calibration = new ReducedCalibration(
                            algorithm.name().toLowerCase(Locale.ROOT), ratio, settings.margin(), settings.alpha(),
                            ReducedCalibrations.modelId(loaded.metadata()), fitted, subset.size(),
                            "Platt scaling on out-of-fold logits (5 fold heads trained on unreduced embeddings)"
                                    + " of " + subset.size() + " training-split documents embedded with "
                                    + settings.label());
                    Path file = ReducedCalibrations.write(options.modelDirectory(), calibration);
                    log.info("{}: scale {} offset {}, out-of-fold accuracy {} with the unreduced calibration, {}"
                            + " refitted, wrote {}", settings.label(), format(fitted.scale()), format(fitted.offset()),
                            format(accuracy(loaded.metadata().calibration(), logits, subsetLabels, threshold)),
                            format(accuracy(fitted, logits, subsetLabels, threshold)), file);
                }
            }
        }
        log.info("Done in {} s", (System.nanoTime() - start) / 1_000_000_000);
    }

    /** Returns the training split of the model's seed after checking that it shares no document with the test split. */
    private static List<CorpusDocument> trainingDocuments(Options options, long seed) throws IOException {
        Set<String> testIds = new HashSet<>();
        for (String line : Files.readAllLines(options.modelDirectory().resolve("test-split.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                testIds.add(line.trim());
            }
        }
        CorpusSplit split = DetectionCorpus.load(options.dataDirectory()).split(TrainDetectionModel.TRAIN_FRACTION,
                seed);
        for (CorpusDocument document : split.train()) {
            if (testIds.contains(document.id())) {
                throw new IllegalStateException("training document " + document.id() + " is listed in "
                        + options.modelDirectory().resolve("test-split.txt") + "; the data folder or seed differs"
                        + " from the model's training run");
            }
        }
        return split.train();
    }

    /** Returns the first {@code count} indices of a seeded shuffle of {@code 0..size-1}. */
    private static List<Integer> subset(int size, int count, long seed) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            indices.add(i);
        }
        Collections.shuffle(indices, new Random(seed + 2));
        return indices.subList(0, Math.min(count, size));
    }

    private static float[][] embed(EmbeddingCache cache, String key, List<String> ids, List<String> texts,
            WindowEncoder encoder, ReductionSettings settings) throws IOException {
        Optional<float[][]> cached = cache.read(key, ids);
        if (cached.isPresent()) {
            log.info("Using cached embeddings {}", key);
            return cached.get();
        }
        long start = System.nanoTime();
        float[][] vectors = new float[texts.size()][];
        for (int first = 0; first < texts.size(); first += DOCUMENTS_PER_BATCH) {
            int end = Math.min(texts.size(), first + DOCUMENTS_PER_BATCH);
            List<float[]> batch = EmbeddingHeadDetector.meanOfWindows(
                    encoder.encode(texts.subList(first, end), Pooling.MEAN, true, TokenReductionHook.of(settings)));
            for (int i = 0; i < batch.size(); i++) {
                vectors[first + i] = batch.get(i);
            }
            log.info("{}: embedded {}/{} documents after {} s", settings.label(), end, texts.size(),
                    (System.nanoTime() - start) / 1_000_000_000);
        }
        cache.write(key, ids, vectors);
        return vectors;
    }

    /** Trains one head per fold on the unreduced embeddings of the other folds, as {@link TrainDetectionModel} does. */
    private static ClassificationHead[] foldHeads(InferenceEngine engine, List<CorpusDocument> train, int[] folds,
            float[][] embeddings, int hiddenUnits, long seed) {
        Map<String, float[]> byId = new LinkedHashMap<>();
        for (int i = 0; i < train.size(); i++) {
            byId.put(train.get(i).id(), embeddings[i]);
        }
        ClassificationHead[] heads = new ClassificationHead[TrainDetectionModel.FOLDS];
        for (int fold = 0; fold < heads.length; fold++) {
            List<CorpusDocument> fitPart = new ArrayList<>();
            for (int i = 0; i < train.size(); i++) {
                if (folds[i] != fold) {
                    fitPart.add(train.get(i));
                }
            }
            heads[fold] = new HeadTrainer(engine, TrainDetectionModel.headSettings(hiddenUnits, seed))
                    .train(TrainDetectionModel.features(fitPart, byId), TrainDetectionModel.labels(fitPart)).head();
        }
        return heads;
    }

    private static double[] outOfFoldLogits(ClassificationHead[] foldHeads, int[] folds, List<Integer> subset,
            float[][] embeddings) {
        double[] logits = new double[subset.size()];
        for (int k = 0; k < subset.size(); k++) {
            logits[k] = foldHeads[folds[subset.get(k)]].logit(embeddings[k]);
        }
        return logits;
    }

    private static double accuracy(PlattCalibration calibration, double[] logits, int[] labels, double threshold) {
        int correct = 0;
        for (int i = 0; i < logits.length; i++) {
            correct += (calibration.probability(logits[i]) >= threshold ? 1 : 0) == labels[i] ? 1 : 0;
        }
        return (double) correct / logits.length;
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
