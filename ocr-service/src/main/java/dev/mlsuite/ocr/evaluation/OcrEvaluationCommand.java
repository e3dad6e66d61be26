package dev.mlsuite.ocr.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.ocr.model.DocumentQaModel;
import dev.mlsuite.ocr.model.QuerySelection;
import dev.mlsuite.ocr.training.FieldQuestions;
import dev.mlsuite.ocr.training.LabelledDocument;
import dev.mlsuite.ocr.training.Options;
import dev.mlsuite.ocr.training.SroieDataset;
import dev.mlsuite.ocr.training.SyntheticDocuments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates a document QA model on the held-out SROIE receipts and on held-out synthetic
 * documents: ANLS per field, exact match, seconds per answer, ANLS against the number of tokens the
 * filter keeps, and the training curve from {@code training_log.csv} in the model folder.
 *
 * <pre>
 * OcrEvaluationCommand DATA_DIR MODEL_DIR OUTPUT_DIR [--synthetic 20] [--kept-tokens 4,8,16,32]
 *     [--sweep-documents 10] [--query-selection filter,tome,pitome,uniform] [--selection-tokens 32,16,8]
 * </pre>
 *
 * <p>Writes {@code results.md}, {@code predictions.csv}, {@code training-curve.png} and
 * {@code kept-tokens.png} into OUTPUT_DIR. With {@code --query-selection}, {@code results.md} also
 * compares the ways of making the resampler queries ({@link QuerySelection}) on all held-out SROIE
 * receipts at each count of {@code --selection-tokens}: mean ANLS, the paired difference to the
 * filter at the same count, and the encoding time per page.
 */
public final class OcrEvaluationCommand {

    private static final Logger log = LoggerFactory.getLogger(OcrEvaluationCommand.class);

    private OcrEvaluationCommand() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("Usage: OcrEvaluationCommand DATA_DIR MODEL_DIR OUTPUT_DIR [--synthetic N]"
                    + " [--kept-tokens 4,8,16,32] [--sweep-documents N] [--query-selection filter,tome,pitome,uniform]"
                    + " [--selection-tokens 32,16,8]");
            System.exit(2);
        }
        Path dataDirectory = Path.of(args[0]);
        Path modelDirectory = Path.of(args[1]);
        Path output = Path.of(args[2]);
        Map<String, String> options = Options.parse(args, 3);
        int syntheticCount = Integer.parseInt(options.getOrDefault("synthetic", "20"));
        int sweepDocuments = Integer.parseInt(options.getOrDefault("sweep-documents", "10"));
        Files.createDirectories(output);

        try (NDManager manager = NDManager.newBaseManager();
                DocumentQaModel model = DocumentQaModel.load(modelDirectory, manager.newSubManager())) {
            int width = model.config().imageWidth();
            int height = model.config().imageHeight();
            Map<String, List<LabelledDocument>> sets = new LinkedHashMap<>();
            sets.put("SROIE held-out", SroieDataset.load(dataDirectory, SroieDataset.heldOutIds(dataDirectory),
                    width, height));
            sets.put("synthetic held-out", SyntheticDocuments.heldOut(syntheticCount, width, height));

            StringBuilder report = new StringBuilder();
            StringBuilder csv = new StringBuilder("set,document,field,expected,predicted,anls\n");
            report.append("| set | answers | company | date | address | total | mean ANLS | exact match |"
                    + " s per answer |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
            for (Map.Entry<String, List<LabelledDocument>> set : sets.entrySet()) {
                List<DocumentQaEvaluator.Prediction> predictions = DocumentQaEvaluator.predict(model, set.getValue(),
                        model.config().keptTokens());
                DocumentQaEvaluator.Summary summary = DocumentQaEvaluator.summarise(predictions);
                report.append(String.format(Locale.ROOT, "| %s | %d |", set.getKey(), summary.answers()));
                for (String field : FieldQuestions.FIELDS) {
                    report.append(String.format(Locale.ROOT, " %.3f |", summary.anlsByField().get(field)));
                }
                report.append(String.format(Locale.ROOT, " %.3f | %.3f | %.3f |%n", summary.meanAnls(),
                        summary.exactMatchRate(), summary.meanSecondsPerAnswer()));
                for (DocumentQaEvaluator.Prediction p : predictions) {
                    csv.append(String.join(",", quote(set.getKey()), quote(p.documentId()), p.field(),
                            quote(p.expected()), quote(p.predicted()), String.format(Locale.ROOT, "%.3f", p.anls())))
                            .append('\n');
                }
                log.info("{}: mean ANLS {} over {} answers", set.getKey(), summary.meanAnls(), summary.answers());
            }

            report.append("\nANLS against kept tokens, on the first ").append(sweepDocuments)
                    .append(" documents of each set:\n\n| kept tokens | SROIE mean ANLS | synthetic mean ANLS |\n"
                            + "| --- | --- | --- |\n");
            Map<String, List<double[]>> keptSeries = new LinkedHashMap<>();
            for (String set : sets.keySet()) {
                keptSeries.put(set, new ArrayList<>());
            }
            for (String value : options.getOrDefault("kept-tokens", "4,8,16,32").split(",")) {
                int kept = Integer.parseInt(value.trim());
                report.append("| ").append(kept).append(" |");
                for (Map.Entry<String, List<LabelledDocument>> set : sets.entrySet()) {
                    List<LabelledDocument> subset = set.getValue().subList(0,
                            Math.min(sweepDocuments, set.getValue().size()));
                    double anls = DocumentQaEvaluator.summarise(
                            DocumentQaEvaluator.predict(model, subset, kept)).meanAnls();
                    keptSeries.get(set.getKey()).add(new double[] {kept, anls});
                    report.append(String.format(Locale.ROOT, " %.3f |", anls));
                }
                report.append('\n');
            }
            if (options.containsKey("query-selection")) {
                report.append(compareSelections(model, sets.get("SROIE held-out"), options));
            }
            LinePlot.write(output.resolve("kept-tokens.png"), "Mean ANLS against image tokens kept by the filter",
                    "kept tokens", "ANLS", keptSeries);
            writeTrainingCurve(modelDirectory.resolve("training_log.csv"), output.resolve("training-curve.png"));

            Files.writeString(output.resolve("results.md"), report.toString(), StandardCharsets.UTF_8);
            Files.writeString(output.resolve("predictions.csv"), csv.toString(), StandardCharsets.UTF_8);
            log.info("Wrote the evaluation to {}", output.toAbsolutePath());
        }
    }

    /**
     * Returns the Markdown table of the query selection comparison. The interval is the mean of the
     * per-answer ANLS differences to the filter at the same token count, plus or minus 1.96 standard
     * errors. This is a normal approximation, although the answers are not independent (four per receipt).
     */
    private static String compareSelections(DocumentQaModel model, List<LabelledDocument> receipts,
            Map<String, String> options) {
        List<QuerySelection> selections = new ArrayList<>();
        for (String value : options.get("query-selection").split(",")) {
            selections.add(QuerySelection.parse(value));
        }
        StringBuilder table = new StringBuilder();
        table.append("\nResampler queries made by each method, on all ").append(receipts.size())
                .append(" held-out SROIE receipts:\n\n| image tokens | queries | answers | mean ANLS |"
                        + " difference to filter (95% interval) | answers changed | exact match | ms per page encoding |"
                        + " s per answer |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (String value : options.getOrDefault("selection-tokens", "32,16,8").split(",")) {
            int kept = Integer.parseInt(value.trim());
            List<DocumentQaEvaluator.Prediction> filter = DocumentQaEvaluator.predict(model, receipts, kept,
                    QuerySelection.FILTER);
            for (QuerySelection selection : selections) {
                List<DocumentQaEvaluator.Prediction> predictions = selection == QuerySelection.FILTER
                        ? filter
                        : DocumentQaEvaluator.predict(model, receipts, kept, selection);
                DocumentQaEvaluator.Summary summary = DocumentQaEvaluator.summarise(predictions);
                double[] difference = pairedDifference(predictions, filter);
                long changed = 0;
                for (int i = 0; i < predictions.size(); i++) {
                    changed += predictions.get(i).predicted().equals(filter.get(i).predicted()) ? 0 : 1;
                }
                double encodeMillis = encodeMillisPerPage(model, receipts, kept, selection);
                table.append(String.format(Locale.ROOT, "| %d | %s | %d | %.3f | %+.3f +- %.3f | %d | %.3f | %.1f | %.3f |%n",
                        kept, selection.name().toLowerCase(Locale.ROOT), summary.answers(), summary.meanAnls(),
                        difference[0], difference[1], changed, summary.exactMatchRate(), encodeMillis,
                        summary.meanSecondsPerAnswer()));
                log.info("{} tokens, {} queries: mean ANLS {}, difference to filter {} +- {}", kept, selection,
                        summary.meanAnls(), difference[0], difference[1]);
            }
        }
        return table.toString();
    }

    /** Returns the mean per-answer ANLS difference of {@code predictions} to {@code reference} and 1.96 standard errors. */
    private static double[] pairedDifference(List<DocumentQaEvaluator.Prediction> predictions,
            List<DocumentQaEvaluator.Prediction> reference) {
        int n = predictions.size();
        double[] differences = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            DocumentQaEvaluator.Prediction p = predictions.get(i);
            DocumentQaEvaluator.Prediction r = reference.get(i);
            if (!p.documentId().equals(r.documentId()) || !p.field().equals(r.field())) {
                throw new IllegalStateException("predictions are not aligned at " + p.documentId() + " " + p.field());
            }
            differences[i] = p.anls() - r.anls();
            mean += differences[i] / n;
        }
        double variance = 0;
        for (double difference : differences) {
            variance += (difference - mean) * (difference - mean) / Math.max(1, n - 1);
        }
        return new double[] {mean, 1.96 * Math.sqrt(variance / n)};
    }

    /** Returns the wall-clock time of {@link DocumentQaModel#encodeImage} per page, query selection included. */
    private static double encodeMillisPerPage(DocumentQaModel model, List<LabelledDocument> pages, int kept,
            QuerySelection selection) {
        NDManager base = model.parameters().values().iterator().next().getManager();
        long start = System.nanoTime();
        for (LabelledDocument page : pages) {
            try (NDManager scope = base.newSubManager()) {
                NDArray pixels = scope.create(page.pixels(),
                        new Shape(1, 1, model.config().imageHeight(), model.config().imageWidth()));
                model.encodeImage(pixels, kept, selection).toFloatArray();
            }
        }
        return (System.nanoTime() - start) / 1e6 / pages.size();
    }

    private static void writeTrainingCurve(Path logFile, Path png) throws IOException {
        if (!Files.isRegularFile(logFile)) {
            log.warn("No training log at {}; skipping the training curve", logFile);
            return;
        }
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        series.put("synthetic phase", new ArrayList<>());
        series.put("SROIE + synthetic phase", new ArrayList<>());
        for (String line : Files.readAllLines(logFile).subList(1, Files.readAllLines(logFile).size())) {
            String[] columns = line.split(",");
            String phase = columns[1].equals("0") ? "synthetic phase" : "SROIE + synthetic phase";
            series.get(phase).add(new double[] {Double.parseDouble(columns[0]), Double.parseDouble(columns[2])});
        }
        LinePlot.write(png, "Training loss (cross-entropy per answer character, mean of 10 steps)", "step", "loss",
                series);
    }

    private static String quote(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
