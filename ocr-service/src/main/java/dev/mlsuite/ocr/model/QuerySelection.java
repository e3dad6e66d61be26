package dev.mlsuite.ocr.model;

import java.util.Locale;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import dev.mlsuite.inference.reduction.MergePlan;
import dev.mlsuite.inference.reduction.ReductionSettings;
import dev.mlsuite.inference.reduction.TokenMerging;
import dev.mlsuite.inference.vit.SimilarityTokenFilter;

/**
 * Method that makes the resampler's {@code k} query tokens from a page's image tokens. The resampler
 * always attends over all image tokens, so the methods differ only in the queries, and every method
 * passes exactly {@code k} image tokens to the decoder.
 */
public enum QuerySelection {

    /** TextMonkey's filter: the {@code k} tokens least similar to the rest, as the model was trained. */
    FILTER,
    /** ToMe bipartite soft matching, repeated until {@code k} size-weighted mean tokens are left. */
    TOME,
    /** PiToMe energy-guided merging, repeated until {@code k} size-weighted mean tokens are left. */
    PITOME,
    /**
     * No similarity-based reduction: the tokens at {@code k} evenly spaced positions. Passing all
     * tokens is not possible because the decoder has too few positions for them.
     */
    UNIFORM;

    /** Parses {@code filter}, {@code tome}, {@code pitome} or {@code uniform}, ignoring case. */
    public static QuerySelection parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("query selection '" + value
                    + "' is invalid; use filter, tome, pitome or uniform", e);
        }
    }

    /**
     * Returns {@code [batch, k, hidden]} queries made from {@code tokens [batch, tokens, hidden]}.
     *
     * @param filterScore redundancy score of {@link #FILTER}
     */
    public NDArray queries(NDArray tokens, int k, SimilarityTokenFilter.Score filterScore) {
        Shape shape = tokens.getShape();
        int count = (int) shape.get(1);
        if (k <= 0 || k > count) {
            throw new IllegalArgumentException("k must be between 1 and " + count + ", got " + k);
        }
        return switch (this) {
            case FILTER -> SimilarityTokenFilter.gather(tokens,
                    SimilarityTokenFilter.select(tokens.stopGradient(), k, filterScore));
            case UNIFORM -> SimilarityTokenFilter.gather(tokens, evenlySpaced(tokens, (int) shape.get(0), count, k));
            case TOME, PITOME -> merged(tokens, k);
        };
    }

    private static NDArray evenlySpaced(NDArray tokens, int batch, int count, int k) {
        long[] indices = new long[batch * k];
        for (int b = 0; b < batch; b++) {
            for (int q = 0; q < k; q++) {
                indices[b * k + q] = (long) q * count / k;
            }
        }
        return tokens.getManager().create(indices, new Shape(batch, k)).toType(DataType.INT64, false);
    }

    private NDArray merged(NDArray tokens, int k) {
        Shape shape = tokens.getShape();
        int batch = (int) shape.get(0);
        int count = (int) shape.get(1);
        int hidden = (int) shape.get(2);
        float[] values = tokens.stopGradient().toType(DataType.FLOAT32, false).toFloatArray();
        float[] result = new float[batch * k * hidden];
        for (int b = 0; b < batch; b++) {
            float[][] page = new float[count][hidden];
            for (int t = 0; t < count; t++) {
                System.arraycopy(values, (b * count + t) * hidden, page[t], 0, hidden);
            }
            float[][] queries = mergeTo(page, k, this == PITOME);
            for (int q = 0; q < k; q++) {
                System.arraycopy(queries[q], 0, result, (b * k + q) * hidden, hidden);
            }
        }
        return tokens.getManager().create(result, new Shape(batch, k, hidden));
    }

    /**
     * Merges {@code tokens} by ToMe or PiToMe rounds, each removing at most half of the tokens, until
     * {@code k} are left, and returns them as size-weighted means of the original tokens, ordered by
     * the position of the token each group was merged into. PiToMe uses the default margin and alpha of
     * {@link ReductionSettings}.
     *
     * <p>{@link TokenMerging} protects position 0 as {@code [CLS]}. A zero vector is put there, whose
     * cosine similarity with every token is 0, and removed at the end, so that every image token can
     * merge.
     */
    static float[][] mergeTo(float[][] tokens, int k, boolean pitome) {
        int hidden = tokens[0].length;
        float[][] current = new float[tokens.length + 1][];
        double[] sizes = new double[tokens.length + 1];
        current[0] = new float[hidden];
        for (int t = 0; t < tokens.length; t++) {
            current[t + 1] = tokens[t].clone();
            sizes[t + 1] = 1;
        }
        while (current.length - 1 > k) {
            int merges = Math.min(TokenMerging.maxMerges(current.length), current.length - 1 - k);
            float[][] similarity = TokenMerging.cosineSimilarity(current);
            MergePlan plan = pitome
                    ? TokenMerging.pitome(similarity, merges, ReductionSettings.DEFAULT_MARGIN,
                            ReductionSettings.DEFAULT_ALPHA)
                    : TokenMerging.tome(similarity, merges);
            float[][] sums = new float[plan.outputCount()][hidden];
            double[] mergedSizes = new double[plan.outputCount()];
            for (int i = 0; i < current.length; i++) {
                int target = plan.destinationOf(i);
                mergedSizes[target] += sizes[i];
                for (int d = 0; d < hidden; d++) {
                    sums[target][d] += (float) (sizes[i] * current[i][d]);
                }
            }
            for (int j = 0; j < sums.length; j++) {
                if (mergedSizes[j] > 0) {
                    for (int d = 0; d < hidden; d++) {
                        sums[j][d] /= (float) mergedSizes[j];
                    }
                }
            }
            current = sums;
            sizes = mergedSizes;
        }
        return java.util.Arrays.copyOfRange(current, 1, current.length);
    }
}
