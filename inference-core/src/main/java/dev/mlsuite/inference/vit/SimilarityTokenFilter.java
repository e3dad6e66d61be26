package dev.mlsuite.inference.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * TextMonkey's similarity-based token filter: every token is scored by its cosine similarity to the
 * other tokens of the same image, and the {@code k} tokens with the lowest scores, those least
 * redundant with the rest, are kept.
 */
public final class SimilarityTokenFilter {

    /** How a token's similarities to the other tokens combine into its redundancy score. */
    public enum Score {
        /** Highest cosine similarity to any other token. */
        MAX,
        /** Mean cosine similarity to the other tokens. */
        MEAN
    }

    private SimilarityTokenFilter() {
    }

    /**
     * Scores {@code tokens [batch, tokens, hidden]} and returns {@code [batch, tokens]}; a higher score
     * means more redundant. A token is never compared with itself.
     */
    public static NDArray scores(NDArray tokens, Score score) {
        long count = tokens.getShape().get(1);
        if (count < 2) {
            throw new IllegalArgumentException("The filter needs at least 2 tokens, got " + count);
        }
        NDArray norms = tokens.norm(new int[] {-1}, true).maximum(1e-6f);
        NDArray unit = tokens.div(norms);
        NDArray similarity = unit.matMul(unit.transpose(0, 2, 1)); // [batch, tokens, tokens]
        NDArray identity = tokens.getManager().eye((int) count).expandDims(0);

        if (score == Score.MAX) {
            return similarity.sub(identity.mul(4f)).max(new int[] {-1}); // cosine >= -1, so -3 never wins
        }
        return similarity.sub(identity.mul(similarity)).sum(new int[] {-1}).div(count - 1);
    }

    /** Returns the indices of the {@code k} least redundant tokens per image, ascending by score: {@code [batch, k]} int64. */
    public static NDArray select(NDArray tokens, int k, Score score) {
        long count = tokens.getShape().get(1);
        if (k <= 0 || k > count) {
            throw new IllegalArgumentException("k must be between 1 and " + count + ", got " + k);
        }
        NDArray order = scores(tokens, score).argSort(-1, true); // [batch, tokens]
        return order.get(":, :" + k).toType(DataType.INT64, false);
    }

    /** Gathers {@code tokens [batch, tokens, hidden]} at {@code indices [batch, k]}: {@code [batch, k, hidden]}. */
    public static NDArray gather(NDArray tokens, NDArray indices) {
        Shape shape = tokens.getShape();
        Shape indexShape = indices.getShape();
        NDArray expanded = indices.expandDims(-1).broadcast(new Shape(indexShape.get(0), indexShape.get(1), shape.get(2)));
        return tokens.gather(expanded, 1);
    }
}
