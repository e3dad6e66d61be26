package dev.mlsuite.ocr.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.ocr.model.DocumentQaModel;
import dev.mlsuite.ocr.model.QuerySelection;
import dev.mlsuite.ocr.training.FieldQuestions;
import dev.mlsuite.ocr.training.LabelledDocument;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Asks the model the canonical question of every field of every document and scores the answers. */
public final class DocumentQaEvaluator {

    private DocumentQaEvaluator() {
    }

    /** One answered question. */
    public record Prediction(String documentId, String field, String expected, String predicted, double anls,
            boolean exactMatch, double seconds) {
    }

    /** Scores over a set of predictions. */
    public record Summary(Map<String, Double> anlsByField, double meanAnls, double exactMatchRate,
            double meanSecondsPerAnswer, int answers) {
    }

    /** Answers every non-empty field of {@code documents} with {@code keptTokens} filtered image tokens. */
    public static List<Prediction> predict(DocumentQaModel model, List<LabelledDocument> documents, int keptTokens) {
        return predict(model, documents, keptTokens, QuerySelection.FILTER);
    }

    /**
     * Predicts the answer to every non-empty field of {@code documents} with {@code keptTokens} image
     * tokens made by {@code selection}.
     */
    public static List<Prediction> predict(DocumentQaModel model, List<LabelledDocument> documents, int keptTokens,
            QuerySelection selection) {
        List<Prediction> predictions = new ArrayList<>();
        NDManager base = model.parameters().values().iterator().next().getManager();
        for (LabelledDocument document : documents) {
            try (NDManager scope = base.newSubManager()) {
                long start = System.nanoTime();
                NDArray pixels = scope.create(document.pixels(),
                        new Shape(1, 1, model.config().imageHeight(), model.config().imageWidth()));
                NDArray prefix = model.encodeImage(pixels, keptTokens, selection);
                double encodeSeconds = (System.nanoTime() - start) / 1e9;
                int fields = (int) document.fields().values().stream().filter(v -> !v.isEmpty()).count();
                for (String field : FieldQuestions.FIELDS) {
                    String expected = document.fields().getOrDefault(field, "");
                    if (expected.isEmpty()) {
                        continue;
                    }
                    long answerStart = System.nanoTime();
                    String predicted = model.generate(prefix, FieldQuestions.canonical(field)).text();
                    double seconds = (System.nanoTime() - answerStart) / 1e9 + encodeSeconds / fields;
                    predictions.add(new Prediction(document.id(), field, expected, predicted,
                            Anls.score(predicted, expected), Anls.exactMatch(predicted, expected), seconds));
                }
            }
        }
        return predictions;
    }

    public static Summary summarise(List<Prediction> predictions) {
        Map<String, Double> byField = new LinkedHashMap<>();
        for (String field : FieldQuestions.FIELDS) {
            byField.put(field, predictions.stream().filter(p -> p.field().equals(field))
                    .mapToDouble(Prediction::anls).average().orElse(Double.NaN));
        }
        double meanOverFields = byField.values().stream().filter(v -> !v.isNaN())
                .mapToDouble(Double::doubleValue).average().orElse(0);
        double exact = predictions.stream().mapToDouble(p -> p.exactMatch() ? 1 : 0).average().orElse(0);
        double seconds = predictions.stream().mapToDouble(Prediction::seconds).average().orElse(0);
        return new Summary(byField, meanOverFields, exact, seconds, predictions.size());
    }
}
