package dev.mlsuite.inference.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplerTest {

    private static final float[] LOGITS = {1.0f, 3.0f, 2.5f, -1.0f, 0.0f};

    @Test
    void greedyPicksLargestLogit() {
        int token = Sampler.sample(LOGITS, new int[0], 0, SamplingSettings.greedy(1), SamplerRandom.fromSeed(1));

        assertThat(token).isEqualTo(1);
    }

    @Test
    void topKOfOneIsGreedy() {
        SamplingSettings settings = SamplingSettings.builder().temperature(5f).topK(1).build();
        SamplerRandom random = SamplerRandom.fromSeed(3);

        for (int i = 0; i < 50; i++) {
            assertThat(Sampler.sample(LOGITS, new int[0], 0, settings, random)).isEqualTo(1);
        }
    }

    @Test
    void topPKeepsOnlyNucleus() {
        // Probabilities at temperature 1: token 1 0.54, token 2 0.33, token 0 0.07, ...; top-p 0.8 keeps tokens 1 and 2.
        SamplingSettings settings = SamplingSettings.builder().topP(0.8f).build();
        SamplerRandom random = SamplerRandom.fromSeed(5);
        int[] counts = new int[LOGITS.length];

        for (int i = 0; i < 2000; i++) {
            counts[Sampler.sample(LOGITS, new int[0], 0, settings, random)]++;
        }

        assertThat(counts[0] + counts[3] + counts[4]).isZero();
        assertThat(counts[1] / 2000.0).isCloseTo(0.622, within(0.04));
    }

    @Test
    void samplingFollowsSoftmax() {
        SamplingSettings settings = SamplingSettings.builder().temperature(1f).build();
        SamplerRandom random = SamplerRandom.fromSeed(11);
        int[] counts = new int[LOGITS.length];
        int draws = 20000;

        for (int i = 0; i < draws; i++) {
            counts[Sampler.sample(LOGITS, new int[0], 0, settings, random)]++;
        }

        double sum = 0;
        for (float logit : LOGITS) {
            sum += Math.exp(logit);
        }
        for (int token = 0; token < LOGITS.length; token++) {
            assertThat(counts[token] / (double) draws).as("token %d", token)
                    .isCloseTo(Math.exp(LOGITS[token]) / sum, within(0.015));
        }
    }

    @Test
    void repetitionPenaltyDemotesSeenTokens() {
        SamplingSettings settings = SamplingSettings.builder().temperature(0f).repetitionPenalty(2f).build();

        // Token 1 (3.0) becomes 1.5 and falls below token 2 (2.5).
        int token = Sampler.sample(LOGITS, new int[] {1, 1}, 2, settings, SamplerRandom.fromSeed(0));

        assertThat(token).isEqualTo(2);
    }

    @Test
    void randomStateRestoresSequence() {
        SamplerRandom original = SamplerRandom.fromSeed(42);
        original.nextFloat();
        SamplerRandom copy = SamplerRandom.fromState(original.state());

        for (int i = 0; i < 10; i++) {
            assertThat(copy.nextFloat()).isEqualTo(original.nextFloat());
        }
    }

    @Test
    void settingsRejectInvalidValues() {
        assertThatThrownBy(() -> SamplingSettings.builder().topP(0f).build())
                .hasMessageContaining("topP").hasMessageContaining("0.0");
        assertThatThrownBy(() -> SamplingSettings.builder().temperature(-1f).build())
                .hasMessageContaining("temperature");
        assertThatThrownBy(() -> SamplingSettings.builder().maxTokens(0).build())
                .hasMessageContaining("maxTokens");
        assertThatThrownBy(() -> SamplingSettings.builder().stopStrings(List.of("")).build())
                .hasMessageContaining("Stop strings");
    }
}
