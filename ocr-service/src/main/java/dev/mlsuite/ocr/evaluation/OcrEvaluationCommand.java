package dev.mlsuite.ocr.evaluation;

import ai.djl.ndarray.NDManager;
import dev.mlsuite.ocr.model.DocumentQaModel;
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
 *     [--sweep-documents 10]
 * </pre>
 *
 * <p>Writes {@code results.md}, {@code predictions.csv}, {@code training-curve.png} and
 * {@code kept-tokens.png} into OUTPUT_DIR.
 */
public final class OcrEvaluationCommand {

    private static final Logger log = LoggerFactory.getLogger(OcrEvaluationCommand.class);

    private OcrEvaluationCommand() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("Usage: OcrEvaluationCommand DATA_DIR MODEL_DIR OUTPUT_DIR [--synthetic N]"
                    + " [--kept-tokens 4,8,16,32] [--sweep-documents N]");
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
            LinePlot.write(output.resolve("kept-tokens.png"), "Mean ANLS against image tokens kept by the filter",
                    "kept tokens", "ANLS", keptSeries);
            writeTrainingCurve(modelDirectory.resolve("training_log.csv"), output.resolve("training-curve.png"));

            Files.writeString(output.resolve("results.md"), report.toString(), StandardCharsets.UTF_8);
            Files.writeString(output.resolve("predictions.csv"), csv.toString(), StandardCharsets.UTF_8);
            log.info("Wrote the evaluation to {}", output.toAbsolutePath());
        }
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
