package dev.mlsuite.inference.reduction;

/**
 * Analytic count of the floating-point operations of a BERT encoder, one multiply-add counted as
 * two operations. Per layer with {@code n} tokens before and {@code n'} after the reduction point:
 * Q, K, V and output projections {@code 8 n h^2}, attention scores and context {@code 4 n^2 h},
 * feed-forward block {@code 4 n' h i}; a reduced layer adds {@code 2 n^2 h} for the similarity
 * matrix and {@code 2 n' n h} for the merge. Embeddings, layer norms, softmax and the
 * matching itself are not counted.
 *
 * @param layers number of encoder layers
 * @param hidden hidden size {@code h}
 * @param intermediate feed-forward width {@code i}
 */
public record EncoderFlops(int layers, int hidden, int intermediate) {

    /** Returns the operations of one sequence of {@code tokens} real tokens under {@code settings}. */
    public double perSequence(int tokens, ReductionSettings settings) {
        double h = hidden;
        double total = 0;
        int n = tokens;
        for (int layer = 0; layer < layers; layer++) {
            total += 8 * n * h * h + 4.0 * n * n * h;
            int kept = n;
            if (settings.reducesLayer(layer)) {
                int merges = settings.mergeCount(n);
                if (merges > 0) {
                    kept = n - merges;
                    total += 2.0 * n * n * h + 2.0 * kept * n * h;
                }
            }
            total += 4 * kept * h * intermediate;
            n = kept;
        }
        return total;
    }
}
