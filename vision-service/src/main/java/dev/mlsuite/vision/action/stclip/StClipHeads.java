package dev.mlsuite.vision.action.stclip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The ST-CLIP heads over CLIP features (Spatio-Temporal Context Prompting for zero-shot action
 * detection), as small pure functions on {@code float} arrays. Every attention is single-head scaled
 * dot-product attention with a residual update: {@code x' = x + Wo (softmax(Wq x . Wk c / sqrt(d)) Wv c)}.
 */
public final class StClipHeads {

    private final StClipHeadWeights weights;

    public StClipHeads(StClipHeadWeights weights) {
        this.weights = weights;
    }

    public StClipHeadWeights weights() {
        return weights;
    }

    /**
     * Person-Context Interaction: each person token attends to the context tokens of all frames.
     *
     * @param persons {@code [personTokens][dim]}, one RoI feature per tube frame
     * @param context {@code [contextTokens][dim]}, the patch tokens of the frames
     * @return the updated person tokens and the attention map {@code [personTokens][contextTokens]}
     */
    public Attended personContextInteraction(float[][] persons, float[][] context) {
        return attend(persons, context, weights.pciQuery(), weights.pciKey(), weights.pciValue(), weights.pciOutput());
    }

    /**
     * Interest Token Spotting: ranks context tokens by their attention from the person, averaged over
     * the person tokens, and returns the indices of the {@code k} highest, highest first (ties by index).
     */
    public static int[] interestTokens(float[][] attention, int k) {
        int contextCount = attention[0].length;
        double[] importance = new double[contextCount];
        for (float[] row : attention) {
            for (int j = 0; j < contextCount; j++) {
                importance[j] += row[j] / attention.length;
            }
        }
        return IntStream.range(0, contextCount).boxed()
                .sorted(Comparator.comparingDouble((Integer j) -> -importance[j]).thenComparingInt(j -> j))
                .limit(Math.min(k, contextCount))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    /**
     * Context Prompting: each label feature attends to the person's visual context (its interest
     * tokens and person tokens) and is updated by the result.
     *
     * @return the enriched label features, {@code [labels][dim]}
     */
    public float[][] contextPrompting(float[][] labels, float[][] visualContext) {
        return attend(labels, visualContext, weights.promptQuery(), weights.promptKey(), weights.promptValue(),
                weights.promptOutput()).tokens();
    }

    /**
     * Scores labels for one person: the heads above, then the cosine similarity of the mean updated
     * person token with each enriched label feature.
     *
     * @param persons the person's RoI features, {@code [personTokens][dim]}
     * @param context the context patch tokens of the same frames, {@code [contextTokens][dim]}
     * @param labels  the label text features, {@code [labels][dim]}
     * @param topK    interest tokens kept per person
     * @return one cosine similarity per label, in label order
     */
    public double[] score(float[][] persons, float[][] context, float[][] labels, int topK) {
        Attended interaction = personContextInteraction(persons, context);
        int[] interest = interestTokens(interaction.attention(), topK);

        List<float[]> visualContext = new ArrayList<>();
        for (int index : interest) {
            visualContext.add(context[index]);
        }
        visualContext.addAll(Arrays.asList(interaction.tokens()));
        float[][] prompted = contextPrompting(labels, visualContext.toArray(float[][]::new));

        float[] person = mean(interaction.tokens());
        double[] scores = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            scores[i] = cosine(person, prompted[i]);
        }
        return scores;
    }

    /** Updated tokens and the attention map that produced them. */
    public record Attended(float[][] tokens, float[][] attention) {
    }

    static Attended attend(float[][] queries, float[][] keysAndValues, float[][] queryWeight, float[][] keyWeight,
            float[][] valueWeight, float[][] outputWeight) {
        int dim = queries[0].length;
        float[][] projectedQueries = multiply(queries, queryWeight);
        float[][] projectedKeys = multiply(keysAndValues, keyWeight);
        float[][] projectedValues = multiply(keysAndValues, valueWeight);
        double scale = 1 / Math.sqrt(dim);

        float[][] attention = new float[queries.length][keysAndValues.length];
        float[][] updated = new float[queries.length][];
        for (int i = 0; i < queries.length; i++) {
            double[] logits = new double[keysAndValues.length];
            double maxLogit = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < keysAndValues.length; j++) {
                logits[j] = dot(projectedQueries[i], projectedKeys[j]) * scale;
                maxLogit = Math.max(maxLogit, logits[j]);
            }
            double sum = 0;
            for (int j = 0; j < logits.length; j++) {
                logits[j] = Math.exp(logits[j] - maxLogit);
                sum += logits[j];
            }

            float[] attended = new float[dim];
            for (int j = 0; j < keysAndValues.length; j++) {
                attention[i][j] = (float) (logits[j] / sum);
                for (int d = 0; d < dim; d++) {
                    attended[d] += attention[i][j] * projectedValues[j][d];
                }
            }
            float[] residual = multiply(new float[][] {attended}, outputWeight)[0];
            updated[i] = new float[dim];
            for (int d = 0; d < dim; d++) {
                updated[i][d] = queries[i][d] + residual[d];
            }
        }
        return new Attended(updated, attention);
    }

    /** Returns {@code rows W^T}: each row {@code x} becomes {@code W x}. */
    static float[][] multiply(float[][] rows, float[][] weight) {
        float[][] result = new float[rows.length][weight.length];
        for (int i = 0; i < rows.length; i++) {
            for (int out = 0; out < weight.length; out++) {
                result[i][out] = (float) dot(weight[out], rows[i]);
            }
        }
        return result;
    }

    static float[] mean(float[][] rows) {
        float[] mean = new float[rows[0].length];
        for (float[] row : rows) {
            for (int d = 0; d < mean.length; d++) {
                mean[d] += row[d] / rows.length;
            }
        }
        return mean;
    }

    static double cosine(float[] a, float[] b) {
        double norms = Math.sqrt(dot(a, a) * dot(b, b));
        return norms == 0 ? 0 : dot(a, b) / norms;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            sum += (double) a[d] * b[d];
        }
        return sum;
    }
}
