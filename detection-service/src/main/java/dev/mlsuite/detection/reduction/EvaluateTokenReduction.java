package dev.mlsuite.detection.reduction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import ai.djl.ndarray.NDManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mlsuite.detection.model.EmbeddingHeadDetector;
import dev.mlsuite.detection.model.HeadModelFiles;
import dev.mlsuite.detection.model.MiniLm;
import dev.mlsuite.detection.model.PlattCalibration;
import dev.mlsuite.detection.model.ReducedCalibrations;
import dev.mlsuite.detection.model.WindowEncoder;
import dev.mlsuite.detection.preprocessing.TextPreprocessor;
import dev.mlsuite.detection.training.BinaryMetrics;
import dev.mlsuite.detection.training.CorpusDocument;
import dev.mlsuite.detection.training.DetectionCorpus;
import dev.mlsuite.inference.bert.BertConfig;
import dev.mlsuite.inference.bert.BertLayerHook;
import dev.mlsuite.inference.bert.Pooling;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.reduction.EncoderFlops;
import dev.mlsuite.inference.reduction.ReductionAlgorithm;
import dev.mlsuite.inference.reduction.ReductionSettings;
import dev.mlsuite.inference.reduction.TokenReductionHook;

/**
 * Measures what token reduction in the encoder costs the default detection model. The settings are
 * no reduction, then ToMe and PiToMe at several keep ratios. For each it reports the encoder FLOPs
 * per document (counted analytically from each window's token count) and the wall-clock encoding
 * time per document. It also reports accuracy and AUROC on the model's test split, and the cosine
 * similarity of each document embedding to the unreduced one. Accuracy is reported twice: with the
 * calibration fitted for the setting ({@code reduction/} files next to {@code model.json}, chosen
 * as the service chooses it) and with the unreduced calibration of {@code model.json}.
 *
 * <p>Usage: {@code EvaluateTokenReduction DATA_DIR [--models DIR] [--ratios 0.9,0.8] [--limit N]
 * [--report FILE] [--plot FILE]}, where {@code DATA_DIR} contains {@code Human_Data} and
 * {@code GPT_Data}, directly or in its {@code detection} folder. The test documents are the ids in
 * {@code DIR/test-split.txt}; {@code --limit} keeps N of them, alternating between the classes in
 * corpus order so that both classes appear ({@link #stratifiedLimit}).
 */
public final class EvaluateTokenReduction {

    private static final Logger log = LoggerFactory.getLogger(EvaluateTokenReduction.class);
    private static final List<Double> DEFAULT_RATIOS = List.of(0.9, 0.85, 0.8, 0.75, 0.7, 0.6);
    private static final int WARM_UP_DOCUMENTS = 8;

    private EvaluateTokenReduction() {
    }

    /** Options of one run, parsed from the command line. */
    record Options(Path dataDirectory, Path modelDirectory, List<Double> ratios, int limit, Path reportFile,
            Path plotFile) {

        static Options parse(String[] args) {
            if (args.length == 0 || args[0].startsWith("--")) {
                throw new IllegalArgumentException("Missing data folder. Usage: EvaluateTokenReduction DATA_DIR"
                        + " [--models DIR] [--ratios 0.9,0.8] [--limit N] [--report FILE] [--plot FILE]");
            }
            Path data = Path.of(args[0]);
            if (!Files.isDirectory(data.resolve("Human_Data")) && Files.isDirectory(data.resolve("detection"))) {
                data = data.resolve("detection");
            }
            Path models = Path.of("models/detection");
            List<Double> ratios = DEFAULT_RATIOS;
            int limit = Integer.MAX_VALUE;
            Path report = Path.of("detection-service/target/token-reduction.md");
            Path plot = Path.of("detection-service/target/token-reduction-detection.png");
            for (int i = 1; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("Option " + args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--models" -> models = Path.of(value);
                    case "--ratios" -> ratios = parseRatios(value);
                    case "--limit" -> limit = parseLimit(value);
                    case "--report" -> report = Path.of(value);
                    case "--plot" -> plot = Path.of(value);
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]
                            + "; valid options: --models, --ratios, --limit, --report, --plot");
                }
            }
            return new Options(data, models, ratios, limit, report, plot);
        }

        private static int parseLimit(String value) {
            int limit = Integer.parseInt(value.trim());
            if (limit < 1) {
                throw new IllegalArgumentException("--limit " + value + " must be at least 1");
            }
            return limit;
        }

        private static List<Double> parseRatios(String value) {
            List<Double> ratios = new ArrayList<>();
            for (String part : value.split(",")) {
                ratios.add(Double.parseDouble(part.trim()));
            }
            return ratios;
        }
    }

    /**
     * Result of one reduction setting on the test documents.
     *
     * @param flopsPerDocument mean analytic encoder FLOPs per document
     * @param millisPerDocument wall-clock encoder time per document, windows batched as in the service
     * @param metrics accuracy and AUROC with the calibration the service would choose for the setting
     * @param refittedCalibration whether that calibration was fitted on reduced embeddings
     * @param unreducedCalibrationAccuracy accuracy with the calibration of {@code model.json}
     * @param longDocumentAccuracy accuracy on multi-window documents, with the chosen calibration
     * @param meanCosineToFull mean cosine similarity of the document embeddings to those without reduction
     */
    record Row(ReductionSettings settings, double flopsPerDocument, double millisPerDocument, BinaryMetrics metrics,
            boolean refittedCalibration, double unreducedCalibrationAccuracy, double longDocumentAccuracy,
            double meanCosineToFull) {
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.parse(args);
        long start = System.nanoTime();

        List<CorpusDocument> documents = testDocuments(options);
        InferenceEngine engine = InferenceEngine.startDefault();
        HeadModelFiles.LoadedHead loaded;
        try (NDManager manager = engine.newManager()) {
            loaded = HeadModelFiles.read(options.modelDirectory(), manager, "--models");
        }

        List<String> texts;
        try (TextPreprocessor preprocessor = new TextPreprocessor(loaded.metadata().preprocessing())) {
            texts = documents.stream().map(document -> preprocessor.apply(document.text())).toList();
        }
        int[] labels = documents.stream().mapToInt(CorpusDocument::label).toArray();

        List<Row> rows = new ArrayList<>();
        try (WindowEncoder encoder = MiniLm.load(loaded.metadata().chunking(), engine.device())) {
            List<List<long[]>> windows = texts.stream().map(text -> encoder.windows().windows(text)).toList();
            boolean[] longDocument = new boolean[texts.size()];
            for (int i = 0; i < texts.size(); i++) {
                longDocument[i] = windows.get(i).size() > 1;
            }
            log.info("{} test documents, {} of them longer than one window of {} tokens", texts.size(),
                    countTrue(longDocument), loaded.metadata().chunking().windowTokens());
            List<ReductionSettings> settingsToRun = settingsToRun(options.ratios());
            for (ReductionSettings settings : settingsToRun) {
                encoder.encode(texts.subList(0, Math.min(WARM_UP_DOCUMENTS, texts.size())), Pooling.MEAN, true,
                        TokenReductionHook.of(settings));
            }

            EncoderFlops flops = flopsOf(encoder.encoder().config());
            List<float[]> fullEmbeddings = null;
            for (ReductionSettings settings : settingsToRun) {
                BertLayerHook hook = TokenReductionHook.of(settings);
                long encodeStart = System.nanoTime();
                List<float[]> embeddings = EmbeddingHeadDetector.meanOfWindows(
                        encoder.encode(texts, Pooling.MEAN, true, hook));
                double millis = (System.nanoTime() - encodeStart) / 1e6 / texts.size();
                if (fullEmbeddings == null) {
                    fullEmbeddings = embeddings;
                }

                ReducedCalibrations.Choice calibration = ReducedCalibrations.choose(options.modelDirectory(),
                        loaded.metadata(), settings);
                double threshold = loaded.metadata().threshold();
                double[] probabilities = probabilities(loaded, calibration.calibration(), embeddings);
                double[] unreducedProbabilities = probabilities(loaded, loaded.metadata().calibration(), embeddings);
                BinaryMetrics metrics = BinaryMetrics.of(probabilities, labels, threshold);
                BinaryMetrics unreducedMetrics = BinaryMetrics.of(unreducedProbabilities, labels, threshold);
                Row row = new Row(settings, meanFlops(flops, windows, settings), millis, metrics,
                        calibration.refitted(), unreducedMetrics.accuracy(),
                        longAccuracy(probabilities, labels, longDocument, threshold),
                        meanCosine(embeddings, fullEmbeddings));
                rows.add(row);
                log.info("{}: {} GFLOPs/document, {} ms/document, accuracy {} ({} with the unreduced calibration),"
                        + " AUROC {}; {}", settings.label(), format(row.flopsPerDocument() / 1e9, 3),
                        format(millis, 1), format(metrics.accuracy(), 4), format(unreducedMetrics.accuracy(), 4),
                        formatAuroc(metrics.auroc()), calibration.description());
            }
            String report = ReductionReport.render(rows, texts.size(), countTrue(longDocument),
                    options.plotFile().getFileName().toString());
            ReductionPlot.write(options.plotFile(), rows);
            Files.createDirectories(options.reportFile().toAbsolutePath().getParent());
            Files.writeString(options.reportFile(), report);
            log.info("Wrote {} and {} in {} s", options.reportFile(), options.plotFile(),
                    (System.nanoTime() - start) / 1_000_000_000);
        }
    }

    private static double[] probabilities(HeadModelFiles.LoadedHead loaded, PlattCalibration calibration,
            List<float[]> embeddings) {
        double[] probabilities = new double[embeddings.size()];
        for (int i = 0; i < probabilities.length; i++) {
            probabilities[i] = calibration.probability(loaded.head().logit(embeddings.get(i)));
        }
        return probabilities;
    }

    private static List<CorpusDocument> testDocuments(Options options) throws IOException {
        Set<String> testIds = new HashSet<>();
        for (String line : Files.readAllLines(options.modelDirectory().resolve("test-split.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                testIds.add(line.trim());
            }
        }
        List<CorpusDocument> documents = DetectionCorpus.load(options.dataDirectory()).documents().stream()
                .filter(document -> testIds.contains(document.id()))
                .toList();
        if (documents.size() != testIds.size()) {
            throw new IllegalArgumentException("found " + documents.size() + " of the " + testIds.size()
                    + " test documents in " + options.dataDirectory() + "; check the data folder");
        }
        return stratifiedLimit(documents, options.limit());
    }

    /**
     * Returns at most {@code limit} of {@code documents}, taken in turn from each label (human first)
     * in their corpus order, so that a small limit still contains both classes. Once one class is
     * used up, the rest come from the other. The result is in the same order for every run.
     */
    static List<CorpusDocument> stratifiedLimit(List<CorpusDocument> documents, int limit) {
        if (limit >= documents.size()) {
            return documents;
        }
        Map<Integer, Deque<CorpusDocument>> byLabel = new TreeMap<>();
        for (CorpusDocument document : documents) {
            byLabel.computeIfAbsent(document.label(), label -> new ArrayDeque<>()).add(document);
        }

        List<CorpusDocument> selected = new ArrayList<>(limit);
        while (selected.size() < limit) {
            for (Deque<CorpusDocument> queue : byLabel.values()) {
                if (!queue.isEmpty() && selected.size() < limit) {
                    selected.add(queue.poll());
                }
            }
        }
        return selected;
    }

    /** Returns no reduction first, then ToMe and PiToMe at each ratio, interleaved so that load changes hit both. */
    private static List<ReductionSettings> settingsToRun(List<Double> ratios) {
        List<ReductionSettings> settings = new ArrayList<>();
        settings.add(ReductionSettings.NONE);
        for (double ratio : ratios) {
            settings.add(ReductionSettings.ofRatio(ReductionAlgorithm.TOME, ratio));
            settings.add(ReductionSettings.ofRatio(ReductionAlgorithm.PITOME, ratio));
        }
        return settings;
    }

    static EncoderFlops flopsOf(BertConfig config) {
        return new EncoderFlops(config.numHiddenLayers(), config.hiddenSize(), config.intermediateSize());
    }

    private static double meanFlops(EncoderFlops flops, List<List<long[]>> windows, ReductionSettings settings) {
        double total = 0;
        for (List<long[]> documentWindows : windows) {
            for (long[] window : documentWindows) {
                total += flops.perSequence(window.length, settings);
            }
        }
        return total / windows.size();
    }

    private static double longAccuracy(double[] probabilities, int[] labels, boolean[] longDocument, double threshold) {
        int correct = 0;
        int count = 0;
        for (int i = 0; i < labels.length; i++) {
            if (longDocument[i]) {
                count++;
                correct += (probabilities[i] >= threshold ? 1 : 0) == labels[i] ? 1 : 0;
            }
        }
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    private static double meanCosine(List<float[]> embeddings, List<float[]> reference) {
        double total = 0;
        for (int i = 0; i < embeddings.size(); i++) {
            double dot = 0;
            double normA = 0;
            double normB = 0;
            for (int d = 0; d < embeddings.get(i).length; d++) {
                dot += embeddings.get(i)[d] * reference.get(i)[d];
                normA += embeddings.get(i)[d] * embeddings.get(i)[d];
                normB += reference.get(i)[d] * reference.get(i)[d];
            }
            total += dot / Math.sqrt(normA * normB);
        }
        return total / embeddings.size();
    }

    private static int countTrue(boolean[] values) {
        int count = 0;
        for (boolean value : values) {
            count += value ? 1 : 0;
        }
        return count;
    }

    /** Formats an AUROC with 4 decimals, or as {@code n/a (one class)} when it is undefined. */
    static String formatAuroc(double auroc) {
        return Double.isNaN(auroc) ? "n/a (one class)" : format(auroc, 4);
    }

    static String format(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
