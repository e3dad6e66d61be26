package dev.mlsuite.inference.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlsuite.inference.engine.TestEngine;
import dev.mlsuite.inference.hooks.HookPoints;
import dev.mlsuite.inference.hooks.Hooks;
import dev.mlsuite.inference.llama.Llama2cModelLoader;
import dev.mlsuite.inference.llama.ReferenceGreedy;
import dev.mlsuite.inference.llama.Stories260K;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratorTest {

    private static LanguageModel language;
    private static Generator generator;

    @BeforeAll
    static void loadModel() {
        language = Llama2cModelLoader.loadFolder(Stories260K.FOLDER, TestEngine.get(), Stories260K.SETTING);
        generator = new Generator(language);
    }

    @AfterAll
    static void closeModel() {
        language.close();
    }

    @Test
    void greedyFromBosMatchesReference() {
        ReferenceGreedy reference = ReferenceGreedy.load();

        try (SequenceState state = generator.prefill(new Generator.PrefillRequest(reference.promptTokens(),
                SamplingSettings.greedy(reference.greedyTokens().length), Hooks.NONE, TokenListener.NONE))) {
            while (!state.isFinished()) {
                generator.decode(List.of(state));
            }

            assertThat(state.generatedTokens()).containsExactly(reference.greedyTokens());
            assertThat(state.finishReason()).isEqualTo(FinishReason.MAX_TOKENS);
            assertThat(state.cache().manager().isOpen()).as("cache freed at the end").isFalse();
        }
    }

    @Test
    void streamedDeltasJoinToFinalText() {
        StringBuilder streamed = new StringBuilder();
        List<Integer> tokens = new ArrayList<>();
        FinishReason[] reported = new FinishReason[1];
        TokenListener listener = new TokenListener() {
            @Override
            public void onToken(int tokenId, String textDelta) {
                tokens.add(tokenId);
                streamed.append(textDelta);
            }

            @Override
            public void onFinish(FinishReason reason, String textDelta) {
                reported[0] = reason;
                streamed.append(textDelta);
            }
        };

        GenerationResult result = generator.generate("", SamplingSettings.greedy(80), Hooks.NONE, listener);

        assertThat(result.text()).startsWith("Once upon a time, there was a little girl named Lily.");
        assertThat(result.text()).contains("\n");
        assertThat(streamed.toString()).isEqualTo(result.text());
        assertThat(tokens).hasSize(80);
        assertThat(reported[0]).isEqualTo(FinishReason.MAX_TOKENS);
        assertThat(result.finishReason()).isEqualTo(FinishReason.MAX_TOKENS);
    }

    @Test
    void stopStringEndsTextBeforeIt() {
        StringBuilder streamed = new StringBuilder();
        TokenListener listener = new TokenListener() {
            @Override
            public void onToken(int tokenId, String textDelta) {
                streamed.append(textDelta);
            }

            @Override
            public void onFinish(FinishReason reason, String textDelta) {
                streamed.append(textDelta);
            }
        };
        SamplingSettings settings = SamplingSettings.builder().maxTokens(60).temperature(0f)
                .stopStrings(List.of("girl named", "dragon")).build();

        GenerationResult result = generator.generate("", settings, Hooks.NONE, listener);

        assertThat(result.text()).isEqualTo("Once upon a time, there was a little ");
        assertThat(result.finishReason()).isEqualTo(FinishReason.STOP_STRING);
        assertThat(streamed.toString()).isEqualTo(result.text());
    }

    @Test
    void seededSamplingIsReproducible() {
        SamplingSettings settings = SamplingSettings.builder().maxTokens(60).temperature(1.0f).topK(40).topP(0.9f)
                .repetitionPenalty(1.1f).seed(1234).build();

        GenerationResult first = generator.generate("Once upon a time", settings, Hooks.NONE, TokenListener.NONE);
        GenerationResult second = generator.generate("Once upon a time", settings, Hooks.NONE, TokenListener.NONE);
        GenerationResult otherSeed = generator.generate("Once upon a time",
                SamplingSettings.builder().maxTokens(60).temperature(1.0f).topK(40).topP(0.9f).repetitionPenalty(1.1f)
                        .seed(99).build(),
                Hooks.NONE, TokenListener.NONE);

        assertThat(second.tokens()).containsExactly(first.tokens());
        assertThat(second.text()).isEqualTo(first.text());
        assertThat(otherSeed.tokens()).isNotEqualTo(first.tokens());
    }

    @Test
    void restoredStateContinuesWithSameTokens() {
        SamplingSettings settings = SamplingSettings.builder().maxTokens(50).temperature(0.9f).topP(0.95f).seed(7)
                .build();
        int[] prompt = language.tokenizer().encode("The little dog", true);
        GenerationResult uninterrupted = generator.generate("The little dog", settings, Hooks.NONE, TokenListener.NONE);
        SequenceStateCodec codec = new SequenceStateCodec(language);

        byte[] bytes;
        int[] firstPart;
        try (SequenceState state = generator.prefill(
                new Generator.PrefillRequest(prompt, settings, Hooks.NONE, TokenListener.NONE))) {
            for (int step = 0; step < 20; step++) {
                generator.decode(List.of(state));
            }
            firstPart = state.generatedTokens();
            bytes = codec.serialize(state);
        }

        try (SequenceState restored = codec.restore(bytes, Hooks.NONE, TokenListener.NONE)) {
            assertThat(restored.generatedTokens()).containsExactly(firstPart);
            while (!restored.isFinished()) {
                generator.decode(List.of(restored));
            }

            assertThat(restored.generatedTokens()).containsExactly(uninterrupted.tokens());
            assertThat(restored.text()).isEqualTo(uninterrupted.text());
        }
    }

    @Test
    void batchedDecodeMatchesSeparateGeneration() {
        List<String> prompts = List.of("Tom", "Once upon a time, a girl named Sue went out", "The sun");
        List<int[]> expected = new ArrayList<>();
        for (String prompt : prompts) {
            expected.add(generator.generate(prompt, SamplingSettings.greedy(30), Hooks.NONE, TokenListener.NONE)
                    .tokens());
        }

        List<Generator.PrefillRequest> requests = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            // Different limits make sequences leave the batch at different steps.
            requests.add(new Generator.PrefillRequest(language.tokenizer().encode(prompts.get(i), true),
                    SamplingSettings.greedy(10 + 10 * i), Hooks.NONE, TokenListener.NONE));
        }
        List<SequenceState> states = generator.prefill(requests);
        try {
            while (states.stream().anyMatch(state -> !state.isFinished())) {
                generator.decode(states);
            }

            for (int i = 0; i < prompts.size(); i++) {
                int[] generated = states.get(i).generatedTokens();
                assertThat(generated).hasSize(10 + 10 * i);
                assertThat(generated).containsExactly(java.util.Arrays.copyOf(expected.get(i), generated.length));
            }
        } finally {
            states.forEach(SequenceState::close);
        }
    }

    @Test
    void cancelledSequenceFinishesAsCancelled() {
        try (SequenceState state = generator.prefill(new Generator.PrefillRequest(new int[] {1},
                SamplingSettings.greedy(100), Hooks.NONE, TokenListener.NONE))) {
            generator.decode(List.of(state));
            state.cancel();
            generator.decode(List.of(state));

            assertThat(state.finishReason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(state.generatedCount()).isEqualTo(2);
            assertThat(state.cache().manager().isOpen()).isFalse();
        }
    }

    @Test
    void fullContextFinishesWithContextLength() {
        int[] prompt = new int[language.model().maxSequenceLength() - 2];
        java.util.Arrays.fill(prompt, 300);
        prompt[0] = 1;

        try (SequenceState state = generator.prefill(
                new Generator.PrefillRequest(prompt, SamplingSettings.greedy(50), Hooks.NONE, TokenListener.NONE))) {
            while (!state.isFinished()) {
                generator.decode(List.of(state));
            }

            assertThat(state.finishReason()).isIn(FinishReason.CONTEXT_LENGTH, FinishReason.END_OF_SEQUENCE);
            assertThat(state.tokens().length).isLessThanOrEqualTo(language.model().maxSequenceLength() + 1);
        }
    }

    @Test
    void oversizedPromptIsRejected() {
        int[] prompt = new int[language.model().maxSequenceLength() + 1];
        prompt[0] = 1;

        assertThatThrownBy(() -> generator.prefill(
                new Generator.PrefillRequest(prompt, SamplingSettings.greedy(5), Hooks.NONE, TokenListener.NONE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("513")
                .hasMessageContaining("512");
    }

    @Test
    void steeringHookChangesGeneratedText() {
        Hooks steering = Hooks.builder()
                .add(HookPoints.residPost(2), (name, activation) -> activation.mul(-1f))
                .build();

        GenerationResult plain = generator.generate("", SamplingSettings.greedy(20), Hooks.NONE, TokenListener.NONE);
        GenerationResult steered = generator.generate("", SamplingSettings.greedy(20), steering, TokenListener.NONE);

        assertThat(steered.tokens()).isNotEqualTo(plain.tokens());
    }

    @Test
    void stepsLeaveNoArraysBehind() {
        int before = language.model().manager().getManagedArrays().size();

        try (SequenceState state = generator.prefill(new Generator.PrefillRequest(
                language.tokenizer().encode("A cat", true), SamplingSettings.greedy(40), Hooks.NONE,
                TokenListener.NONE))) {
            generator.decode(List.of(state));
            int cacheArrays = state.cache().manager().getManagedArrays().size();
            for (int step = 0; step < 10; step++) {
                generator.decode(List.of(state));
            }

            // One key and one value array per layer, however many steps ran.
            assertThat(cacheArrays).isEqualTo(2 * 5);
            assertThat(state.cache().manager().getManagedArrays()).hasSize(cacheArrays);
        }
        generator.generate("The end", SamplingSettings.greedy(20), Hooks.NONE, TokenListener.NONE);

        assertThat(language.model().manager().getManagedArrays()).hasSize(before);
    }

    @Test
    void codecRejectsForeignBytes() {
        SequenceStateCodec codec = new SequenceStateCodec(language);

        assertThatThrownBy(() -> codec.restore("hello world, not a state".getBytes(), Hooks.NONE, TokenListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MLSQ");

        byte[] bytes;
        try (SequenceState state = generator.prefill(new Generator.PrefillRequest(new int[] {1},
                SamplingSettings.greedy(10), Hooks.NONE, TokenListener.NONE))) {
            bytes = codec.serialize(state);
        }
        byte[] futureVersion = bytes.clone();
        futureVersion[4] = 2;
        assertThatThrownBy(() -> codec.restore(futureVersion, Hooks.NONE, TokenListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 2");
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 10);
        assertThatThrownBy(() -> codec.restore(truncated, Hooks.NONE, TokenListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
    }
}
