package dev.mlsuite.inference.reduction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Matching, energy and filter functions on small matrices computed by hand. */
class TokenMergingTest {

    /** Position 0 is [CLS]; tokens 1 and 2 are close, 3 is far from 1 and at the margin to 2. */
    private static final float[][] FOUR_TOKENS = {
            {1.0f, 0.1f, 0.1f, 0.1f},
            {0.1f, 1.0f, 0.9f, 0.2f},
            {0.1f, 0.9f, 1.0f, 0.5f},
            {0.1f, 0.2f, 0.5f, 1.0f}};

    @Test
    void energyMatchesHandComputedValues() {
        double[] energy = TokenMerging.energy(FOUR_TOKENS, 1, 0.5, 1.0);

        double below = Math.exp(0.2 - 0.5) - 1; // f(0.2) = -0.2592
        assertThat(energy[0]).isZero();
        assertThat(energy[1]).isCloseTo((0.9 + below) / 2, offset(1e-6));
        assertThat(energy[2]).isCloseTo((0.9 + 0.5) / 2, offset(1e-6));
        assertThat(energy[3]).isCloseTo((below + 0.5) / 2, offset(1e-6));
    }

    @Test
    void energyScalesNegativeBranchByAlpha() {
        double[] energy = TokenMerging.energy(FOUR_TOKENS, 1, 0.5, 2.0);

        assertThat(energy[3]).isCloseTo((2 * (Math.exp(-0.3) - 1) + 0.5) / 2, offset(1e-6));
    }

    @Test
    void pitomeMergesHighEnergyPairAndKeepsIsolatedToken() {
        MergePlan plan = TokenMerging.pitome(FOUR_TOKENS, 1, 0.5, 1.0);

        // Energies rank 2 > 1 > 3, so A = {2}, B = {1}: token 2 joins token 1 and token 3 is kept.
        assertThat(plan.destination()).containsExactly(0, 1, 1, 2);
        assertThat(plan.outputCount()).isEqualTo(3);
        assertThat(plan.groupCounts()).containsExactly(1, 2, 1);
    }

    @Test
    void tomeMergesMostSimilarEvenTokenIntoOddPartner() {
        float[][] similarity = new float[6][6];
        for (int i = 0; i < 6; i++) {
            similarity[i][i] = 1f;
        }
        setPair(similarity, 2, 1, 0.6f);
        setPair(similarity, 2, 3, 0.3f);
        setPair(similarity, 4, 5, 0.95f);
        setPair(similarity, 4, 3, 0.7f);
        setPair(similarity, 0, 1, 0.99f); // [CLS] is protected even when it is the most similar token

        MergePlan oneMerge = TokenMerging.tome(similarity, 1);
        MergePlan twoMerges = TokenMerging.tome(similarity, 2);

        assertThat(oneMerge.destination()).containsExactly(0, 1, 2, 3, 4, 4);
        assertThat(twoMerges.destination()).containsExactly(0, 1, 1, 2, 3, 3);
        assertThat(twoMerges.outputCount()).isEqualTo(4);
    }

    @Test
    void zeroMergesKeepEveryToken() {
        assertThat(TokenMerging.tome(FOUR_TOKENS, 0).destination()).containsExactly(0, 1, 2, 3);
        assertThat(TokenMerging.pitome(FOUR_TOKENS, 0, 0.5, 1.0).destination()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void tooManyMergesAreRejected() {
        assertThatThrownBy(() -> TokenMerging.tome(FOUR_TOKENS, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside [0, 1]");
    }

    @Test
    void cosineSimilarityOfHandVectors() {
        float[][] similarity = TokenMerging.cosineSimilarity(new float[][] {{3, 4}, {4, 3}, {0, 0}});

        assertThat(similarity[0][1]).isCloseTo(24f / 25f, offset(1e-6f));
        assertThat(similarity[0][0]).isCloseTo(1f, offset(1e-6f));
        assertThat(similarity[2][0]).isZero();
    }

    @Test
    void filterKeepsLeastRedundantTokens() {
        float[][] vectors = {{1, 0}, {1, 0.1f}, {0, 1}, {0.99f, 0.05f}};

        assertThat(TokenFilter.leastRedundant(vectors, 1)).containsExactly(2);
        assertThat(TokenFilter.leastRedundant(vectors, 4)).containsExactly(0, 1, 2, 3);
        assertThat(TokenFilter.leastRedundant(vectors, 0)).isEmpty();
    }

    @Test
    void mergeCountFollowsRatioAndCap() {
        ReductionSettings ratio = ReductionSettings.ofRatio(ReductionAlgorithm.PITOME, 0.75);
        ReductionSettings fixed = new ReductionSettings(ReductionAlgorithm.TOME, 1.0, 40, Set.of(1, 3), 0.5, 1.0);

        assertThat(ratio.mergeCount(9)).isEqualTo(2); // floor(8 * 0.25)
        assertThat(ratio.mergeCount(2)).isZero();
        assertThat(fixed.mergeCount(11)).isEqualTo(5); // capped at (11 - 1) / 2
        assertThat(fixed.reducesLayer(1)).isTrue();
        assertThat(fixed.reducesLayer(2)).isFalse();
        assertThat(ReductionSettings.ofRatio(ReductionAlgorithm.TOME, 1.0).isActive()).isFalse();
    }

    @Test
    void optionsAreParsedAndValidated() {
        ReductionSettings settings = ReductionSettings.fromOptions(Map.of("reduction", "PiToMe",
                "reduction-ratio", "0.8", "reduction-layers", "0, 2"), "detector");

        assertThat(settings.algorithm()).isEqualTo(ReductionAlgorithm.PITOME);
        assertThat(settings.keepRatio()).isEqualTo(0.8);
        assertThat(settings.layers()).containsExactlyInAnyOrder(0, 2);
        assertThat(ReductionSettings.fromOptions(Map.of(), "detector").isActive()).isFalse();
        assertThatThrownBy(() -> ReductionSettings.fromOptions(Map.of("reduction", "tome", "reduction-ratio", "1.5"),
                "detector"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("detector")
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> ReductionSettings.fromOptions(Map.of("reduction", "prune"), "detector"))
                .hasMessageContaining("use none, tome or pitome");
    }

    @Test
    void flopsShrinkWithReduction() {
        EncoderFlops flops = new EncoderFlops(2, 4, 8);

        double full = flops.perSequence(5, ReductionSettings.NONE);
        double reduced = flops.perSequence(5, ReductionSettings.ofRatio(ReductionAlgorithm.TOME, 0.5));

        // Layer with n tokens: 8*n*16 + 4*n*n*4 + 4*n*4*8 = 256n + 16n^2 at n = 5 -> 1680, twice.
        assertThat(full).isEqualTo(2 * (8 * 5 * 16 + 4 * 25 * 4 + 4 * 5 * 4 * 8));
        // Layer 0: 5 -> 3 tokens; layer 1: 3 -> 2 tokens; similarity and merge products included.
        double layer0 = 8 * 5 * 16 + 4 * 25 * 4 + 2 * 25 * 4 + 2 * 3 * 5 * 4 + 4 * 3 * 4 * 8;
        double layer1 = 8 * 3 * 16 + 4 * 9 * 4 + 2 * 9 * 4 + 2 * 2 * 3 * 4 + 4 * 2 * 4 * 8;
        assertThat(reduced).isEqualTo(layer0 + layer1);
    }

    private static void setPair(float[][] similarity, int i, int j, float value) {
        similarity[i][j] = value;
        similarity[j][i] = value;
    }
}
