package dev.mlsuite.detection.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.djl.Device;

import dev.mlsuite.inference.api.BatchPredictor;
import dev.mlsuite.inference.api.InferenceModel;

/**
 * A {@link TextDetector} served by the starter's model registry: each request is a document with
 * its sentences, and a batch scores all documents and sentences of its requests in one call.
 */
public final class DetectorModel implements InferenceModel, BatchPredictor<DocumentInput, DocumentScores> {

    private static final String WARM_UP_TEXT = "The committee reviewed the proposal. It approved the budget.";

    /** Key of the token reduction label in {@link #details()}. */
    public static final String TOKEN_REDUCTION_DETAIL = "tokenReduction";

    private final String name;
    private final TextDetector detector;
    private final Device device;
    private final long parameterCount;
    private final Map<String, String> details;

    public DetectorModel(String name, TextDetector detector, Device device) {
        this(name, detector, device, Map.of());
    }

    /** Creates a model whose health details include {@code details}, such as its token reduction. */
    public DetectorModel(String name, TextDetector detector, Device device, Map<String, String> details) {
        this.name = name;
        this.detector = detector;
        this.device = device;
        this.parameterCount = detector.parameterCount();
        this.details = Map.copyOf(details);
    }

    public TextDetector detector() {
        return detector;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String version() {
        return detector.identity().name() + ":" + detector.identity().version();
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public long parameterCount() {
        return parameterCount;
    }

    /**
     * Returns the label of the encoder's token reduction, such as {@code pitome ratio=0.85}, or
     * {@code none} when the model has none.
     */
    public String tokenReduction() {
        return details.getOrDefault(TOKEN_REDUCTION_DETAIL, "none");
    }

    @Override
    public Map<String, String> details() {
        return details;
    }

    @Override
    public void warmUp() {
        double[] probabilities = detector.probabilities(List.of(WARM_UP_TEXT));
        if (probabilities.length != 1 || !(probabilities[0] >= 0 && probabilities[0] <= 1)) {
            throw new IllegalStateException("Model '" + name + "' returned an invalid warm-up probability");
        }
    }

    @Override
    public List<DocumentScores> predictBatch(List<DocumentInput> inputs) {
        long start = System.nanoTime();
        List<String> texts = new ArrayList<>();
        for (DocumentInput input : inputs) {
            texts.add(input.text());
            for (TextSpan sentence : input.sentences()) {
                texts.add(input.text().substring(sentence.start(), sentence.end()));
            }
        }

        double[] probabilities = detector.probabilities(texts);
        double modelMillis = (System.nanoTime() - start) / 1e6;

        List<DocumentScores> scores = new ArrayList<>(inputs.size());
        int next = 0;
        for (DocumentInput input : inputs) {
            double documentProbability = probabilities[next++];
            double[] sentenceProbabilities = new double[input.sentences().size()];
            for (int i = 0; i < sentenceProbabilities.length; i++) {
                sentenceProbabilities[i] = probabilities[next++];
            }
            scores.add(new DocumentScores(documentProbability, sentenceProbabilities, modelMillis));
        }
        return scores;
    }

    @Override
    public void close() {
        detector.close();
    }
}
