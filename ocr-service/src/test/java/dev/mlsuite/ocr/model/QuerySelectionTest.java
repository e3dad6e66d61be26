package dev.mlsuite.ocr.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.vit.SimilarityTokenFilter;
import org.junit.jupiter.api.Test;

/** Resampler queries made by merging, filtering and even spacing, on hand-computed cases. */
class QuerySelectionTest {

    private static final float[] A = {1f, 0f};
    private static final float[] B = {1f, 0f};
    private static final float[] C = {0.96f, 0.28f};
    private static final float[] D = {0f, 1f};

    @Test
    void tomeMergesIdenticalPairs() {
        float[][] merged = QuerySelection.mergeTo(new float[][] {{1, 0}, {1, 0}, {0, 1}, {0, 1}}, 2, false);

        assertThat(merged).hasDimensions(2, 2);
        assertThat(merged[0]).containsExactly(1f, 0f);
        assertThat(merged[1]).containsExactly(0f, 1f);
    }

    @Test
    void tomeMergesAlternatePositions() {
        // A = positions 2 and 4 (B and D), B = positions 1 and 3 (A and C); B joins A with cosine 1,
        // D joins C with cosine 0.28, so the one merge is B into A.
        float[][] merged = QuerySelection.mergeTo(new float[][] {A, B, C, D}, 3, false);

        assertThat(merged[0]).containsExactly(1f, 0f);
        assertThat(merged[1]).containsExactly(C);
        assertThat(merged[2]).containsExactly(D);
    }

    @Test
    void pitomeKeepsIsolatedToken() {
        // Energies with margin 0.5 and alpha 1: A and B 0.5222, C 0.5742, D -0.3282. The two
        // highest are C (set A) and A (set B, the lower position of the tie), so C joins A.
        float[][] merged = QuerySelection.mergeTo(new float[][] {A, B, C, D}, 3, true);

        assertThat(merged[0][0]).isCloseTo(0.98f, within(1e-6f));
        assertThat(merged[0][1]).isCloseTo(0.14f, within(1e-6f));
        assertThat(merged[1]).containsExactly(B);
        assertThat(merged[2]).containsExactly(D);
    }

    @Test
    void repeatedMergesWeightBySize() {
        // Two rounds merge one pair each. The result is the mean of all three tokens only if the
        // second round weights the first group by its size 2.
        float[][] merged = QuerySelection.mergeTo(new float[][] {{1f, 0f}, {1f, 0.1f}, {0.9f, 0f}}, 1, false);

        assertThat(merged).hasDimensions(1, 2);
        assertThat(merged[0][0]).isCloseTo(2.9f / 3, within(1e-6f));
        assertThat(merged[0][1]).isCloseTo(0.1f / 3, within(1e-6f));
    }

    @Test
    void uniformTakesEvenlySpacedTokens() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray tokens = manager.arange(12f).reshape(new Shape(1, 6, 2));

            NDArray queries = QuerySelection.UNIFORM.queries(tokens, 3, SimilarityTokenFilter.Score.MAX);

            assertThat(queries.getShape()).isEqualTo(new Shape(1, 3, 2));
            assertThat(queries.toFloatArray()).containsExactly(0f, 1f, 4f, 5f, 8f, 9f);
        }
    }

    @Test
    void mergedQueriesKeepBatchRows() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] values = {1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0};
            NDArray tokens = manager.create(values, new Shape(2, 4, 2));

            NDArray queries = QuerySelection.PITOME.queries(tokens, 2, SimilarityTokenFilter.Score.MAX);

            assertThat(queries.getShape()).isEqualTo(new Shape(2, 2, 2));
            assertThat(queries.toFloatArray()).containsExactly(1f, 0f, 0f, 1f, 0f, 1f, 1f, 0f);
        }
    }

    @Test
    void invalidNameAndCountAreRejected() {
        assertThatThrownBy(() -> QuerySelection.parse("random"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'random'")
                .hasMessageContaining("filter, tome, pitome or uniform");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray tokens = manager.zeros(new Shape(1, 4, 2));

            assertThatThrownBy(() -> QuerySelection.TOME.queries(tokens, 5, SimilarityTokenFilter.Score.MAX))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("between 1 and 4, got 5");
        }
    }
}
