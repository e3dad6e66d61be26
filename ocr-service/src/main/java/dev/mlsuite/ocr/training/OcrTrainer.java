package dev.mlsuite.ocr.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import dev.mlsuite.ocr.model.CharVocabulary;
import dev.mlsuite.ocr.model.DocumentQaModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Teacher-forced training of {@link DocumentQaModel} with Adam: every document in a batch is
 * encoded once and asked about each of its non-empty fields, and the loss is the mean
 * cross-entropy of the answer characters and the end token.
 */
public final class OcrTrainer {

    private static final Logger log = LoggerFactory.getLogger(OcrTrainer.class);

    private final DocumentQaModel model;
    private final Adam adam;

    /** Makes the model's parameters trainable; {@code learningRate} is Adam's fixed step size. */
    public OcrTrainer(DocumentQaModel model, float learningRate, float gradientClip) {
        this.model = model;
        this.adam = Adam.builder()
                .optLearningRateTracker(Tracker.fixed(learningRate))
                .optClipGrad(gradientClip)
                .build();
        for (NDArray parameter : model.parameters().values()) {
            parameter.setRequiresGradient(true);
        }
    }

    /** Runs one forward and backward pass and one Adam update, and returns the loss before the update. */
    public double step(List<LabelledDocument> documents, Random random) {
        zeroGradients();
        double loss = computeGradients(documents, random);
        if (!Double.isFinite(loss)) {
            log.warn("Skipping a batch with a non-finite loss {} (documents {})", loss,
                    documents.stream().map(LabelledDocument::id).toList());
            return loss;
        }
        // Adam keeps its moment estimates in each parameter's manager, so the update runs after the
        // step's manager has handed the parameters back to the model's manager.
        List<NDArray> gradients = new ArrayList<>();
        try {
            for (NDArray parameter : model.parameters().values()) {
                gradients.add(parameter.getGradient());
            }
            if (!allFinite(gradients)) {
                // NOTE: rare non-finite gradients were seen with a finite loss and their source is
                // not found yet, so such a batch is skipped instead of corrupting the weights.
                log.warn("Skipping a batch with non-finite gradients (documents {})",
                        documents.stream().map(LabelledDocument::id).toList());
                return Double.NaN;
            }
            int index = 0;
            for (Map.Entry<String, NDArray> parameter : model.parameters().entrySet()) {
                adam.update(parameter.getKey(), parameter.getValue(), gradients.get(index++));
            }
        } finally {
            gradients.forEach(NDArray::close);
        }
        return loss;
    }

    /**
     * Overwrites the accumulated gradients with zeros. Filling, unlike subtracting a gradient from
     * itself, also clears a gradient that contains NaN or infinity.
     */
    private void zeroGradients() {
        for (NDArray parameter : model.parameters().values()) {
            if (parameter.hasGradient()) {
                try (NDArray gradient = parameter.getGradient()) {
                    gradient.set(new NDIndex("..."), 0f);
                }
            }
        }
    }

    private static boolean allFinite(List<NDArray> arrays) {
        for (NDArray array : arrays) {
            try (NDManager scope = array.getManager().newSubManager()) {
                NDArray view = array.duplicate();
                view.attach(scope);
                NDArray bad = view.isNaN().logicalOr(view.isInfinite()).any();
                if (bad.getBoolean()) {
                    return false;
                }
            }
        }
        return true;
    }

    private double computeGradients(List<LabelledDocument> documents, Random random) {
        NDManager base = model.parameters().values().iterator().next().getManager();
        try (NDManager step = base.newSubManager()) {
            // Parameters move to the step's manager while it is open, so every array the pass
            // derives from them is freed with it.
            step.tempAttachAll(model.parameters().values().toArray(new NDArray[0]));
            Batch batch = buildBatch(documents, random);
            NDArray pixels = step.create(batch.pixels, new Shape(documents.size(), 1, model.config().imageHeight(),
                    model.config().imageWidth()));
            NDArray ids = step.create(batch.ids, new Shape(batch.rows, batch.tokens));
            NDArray targets = step.create(batch.targets, new Shape(batch.rows, batch.tokens, 1));
            NDArray weights = step.create(batch.lossWeights, new Shape(batch.rows, batch.tokens));

            try (GradientCollector collector = step.getEngine().newGradientCollector()) {
                NDArray prefix = model.encodeImage(pixels, model.config().keptTokens()); // [documents, k, hidden]
                NDArray rowPrefix = prefix.get(new NDIndex("{}", step.create(batch.documentOfRow)));
                NDArray logProbabilities = model.textLogits(rowPrefix, ids).logSoftmax(-1); // [rows, tokens, vocab]
                NDArray targetLogProbabilities = logProbabilities.gather(targets, 2).squeeze(2);
                NDArray lossArray = targetLogProbabilities.mul(weights).sum().neg().div(weights.sum());
                double loss = lossArray.getFloat();
                if (Double.isFinite(loss)) {
                    collector.backward(lossArray);
                }
                return loss;
            }
        }
    }

    private Batch buildBatch(List<LabelledDocument> documents, Random random) {
        int pixelCount = model.config().imageWidth() * model.config().imageHeight();
        float[] pixels = new float[documents.size() * pixelCount];
        List<int[]> sequences = new ArrayList<>();
        List<Integer> promptLengths = new ArrayList<>();
        List<Long> documentOfRow = new ArrayList<>();
        for (int d = 0; d < documents.size(); d++) {
            LabelledDocument document = documents.get(d);
            System.arraycopy(document.pixels(), 0, pixels, d * pixelCount, pixelCount);
            for (String field : FieldQuestions.FIELDS) {
                String value = document.fields().getOrDefault(field, "");
                if (value.isEmpty()) {
                    continue;
                }
                int[] prompt = model.promptIds(FieldQuestions.random(field, random));
                int[] answer = CharVocabulary.encode(value, model.config().maxAnswerChars());
                int[] sequence = new int[prompt.length + answer.length + 1];
                System.arraycopy(prompt, 0, sequence, 0, prompt.length);
                System.arraycopy(answer, 0, sequence, prompt.length, answer.length);
                sequence[sequence.length - 1] = CharVocabulary.EOS;
                sequences.add(sequence);
                promptLengths.add(prompt.length);
                documentOfRow.add((long) d);
            }
        }

        int rows = sequences.size();
        int tokens = sequences.stream().mapToInt(s -> s.length).max().orElse(1);
        long[] ids = new long[rows * tokens];
        long[] targets = new long[rows * tokens];
        float[] lossWeights = new float[rows * tokens];
        for (int row = 0; row < rows; row++) {
            int[] sequence = sequences.get(row);
            for (int t = 0; t < sequence.length; t++) {
                ids[row * tokens + t] = sequence[t];
            }
            // Logit row t predicts token t + 1; only answer characters and the end token count.
            for (int t = promptLengths.get(row) - 1; t < sequence.length - 1; t++) {
                targets[row * tokens + t] = sequence[t + 1];
                lossWeights[row * tokens + t] = 1f;
            }
        }
        long[] documentIndex = documentOfRow.stream().mapToLong(Long::longValue).toArray();
        return new Batch(pixels, rows, tokens, ids, targets, lossWeights, documentIndex);
    }

    private record Batch(float[] pixels, int rows, int tokens, long[] ids, long[] targets, float[] lossWeights,
            long[] documentOfRow) {
    }
}
