package dev.mlsuite.detection.reduction;

import static dev.mlsuite.detection.reduction.EvaluateTokenReduction.format;

import java.util.List;
import java.util.Locale;

import dev.mlsuite.inference.reduction.ReductionAlgorithm;

/** Markdown table of an {@link EvaluateTokenReduction} run, for the benchmarks page. */
final class ReductionReport {

    private ReductionReport() {
    }

    static String render(List<EvaluateTokenReduction.Row> rows, int documents, int longDocuments, String plotName) {
        EvaluateTokenReduction.Row full = rows.get(0);
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%d test documents, %d of them longer than one window.%n%n",
                documents, longDocuments));
        text.append("| algorithm | keep ratio per layer | GFLOPs per document | FLOPs vs none | ms per document"
                + " | calibration | accuracy | change (points) | accuracy, unreduced calibration | AUROC"
                + " | accuracy, multi-window documents | cosine to unreduced |\n");
        text.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (EvaluateTokenReduction.Row row : rows) {
            boolean none = row.settings().algorithm() == ReductionAlgorithm.NONE;
            text.append("| ").append(row.settings().algorithm().name().toLowerCase(Locale.ROOT))
                    .append(" | ").append(none ? "1.0" : format(row.settings().keepRatio(), 2))
                    .append(" | ").append(format(row.flopsPerDocument() / 1e9, 3))
                    .append(" | ").append(format(100 * row.flopsPerDocument() / full.flopsPerDocument(), 1)).append('%')
                    .append(" | ").append(format(row.millisPerDocument(), 1))
                    .append(" | ").append(none ? "model.json" : row.refittedCalibration() ? "refitted" : "model.json")
                    .append(" | ").append(format(100 * row.metrics().accuracy(), 2)).append('%')
                    .append(" | ").append(format(100 * (row.metrics().accuracy() - full.metrics().accuracy()), 2))
                    .append(" | ").append(format(100 * row.unreducedCalibrationAccuracy(), 2)).append('%')
                    .append(" | ").append(EvaluateTokenReduction.formatAuroc(row.metrics().auroc()))
                    .append(" | ").append(format(100 * row.longDocumentAccuracy(), 2)).append('%')
                    .append(" | ").append(format(row.meanCosineToFull(), 4))
                    .append(" |\n");
        }
        text.append("\n![Accuracy against encoder FLOPs](").append(plotName).append(")\n");
        return text.toString();
    }
}
