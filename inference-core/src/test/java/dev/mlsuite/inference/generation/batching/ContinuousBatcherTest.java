package dev.mlsuite.inference.generation.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlsuite.inference.engine.TestEngine;
import dev.mlsuite.inference.generation.FinishReason;
import dev.mlsuite.inference.generation.GenerationResult;
import dev.mlsuite.inference.generation.Generator;
import dev.mlsuite.inference.generation.Generator.PrefillRequest;
import dev.mlsuite.inference.generation.LanguageModel;
import dev.mlsuite.inference.generation.SamplingSettings;
import dev.mlsuite.inference.generation.TokenListener;
import dev.mlsuite.inference.hooks.Hooks;
import dev.mlsuite.inference.llama.Llama2cModelLoader;
import dev.mlsuite.inference.llama.Stories260K;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ContinuousBatcherTest {

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

    private static PrefillRequest request(String prompt, SamplingSettings settings, TokenListener listener) {
        return new PrefillRequest(language.tokenizer().encode(prompt, true), settings, Hooks.NONE, listener);
    }

    private static GenerationResult await(GenerationHandle handle) throws Exception {
        return handle.result().get(60, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "prefill threads {0}")
    @ValueSource(ints = {0, 1})
    void batchedTokensMatchSequentialGeneration(int prefillThreads) throws Exception {
        List<String> prompts = List.of("Once upon a time", "The little dog ran to the big tree and",
                "Lily", "Tom and his mom went to the park. They saw a");
        List<SamplingSettings> settings = List.of(
                SamplingSettings.greedy(40),
                SamplingSettings.builder().maxTokens(25).temperature(0.9f).topK(40).topP(0.9f).seed(11).build(),
                SamplingSettings.builder().maxTokens(60).temperature(1.0f).repetitionPenalty(1.1f).seed(3).build(),
                SamplingSettings.builder().maxTokens(33).temperature(0.7f).topP(0.8f).seed(5)
                        .stopStrings(List.of("park")).build());

        List<GenerationHandle> handles = new ArrayList<>();
        try (ContinuousBatcher batcher = new ContinuousBatcher("test", generator,
                BatcherSettings.defaults().withPrefillThreads(prefillThreads))) {
            for (int i = 0; i < prompts.size(); i++) {
                handles.add(batcher.submit(request(prompts.get(i), settings.get(i), TokenListener.NONE)));
            }

            for (int i = 0; i < prompts.size(); i++) {
                GenerationResult sequential = generator.generate(prompts.get(i), settings.get(i), Hooks.NONE,
                        TokenListener.NONE);
                GenerationResult batched = await(handles.get(i));
                assertThat(batched.tokens()).as("tokens of prompt %d", i).containsExactly(sequential.tokens());
                assertThat(batched.text()).as("text of prompt %d", i).isEqualTo(sequential.text());
                assertThat(batched.finishReason()).as("finish of prompt %d", i).isEqualTo(sequential.finishReason());
            }
        }
    }

    @Test
    void shortRequestJoinsAndLeavesMidway() throws Exception {
        AtomicInteger longTokens = new AtomicInteger();
        CountDownLatch longStarted = new CountDownLatch(5);
        TokenListener longListener = (token, text) -> {
            longTokens.incrementAndGet();
            longStarted.countDown();
        };
        SamplingSettings longSettings = SamplingSettings.builder().maxTokens(200).temperature(0.8f).seed(1).build();
        SamplingSettings shortSettings = SamplingSettings.builder().maxTokens(6).temperature(0.8f).seed(2).build();

        try (ContinuousBatcher batcher = new ContinuousBatcher("test", generator, BatcherSettings.defaults())) {
            GenerationHandle longHandle = batcher.submit(request("Once upon a time", longSettings, longListener));
            assertThat(longStarted.await(60, TimeUnit.SECONDS)).isTrue();

            GenerationHandle shortHandle = batcher.submit(request("The cat", shortSettings, TokenListener.NONE));
            GenerationResult shortResult = await(shortHandle);
            int longTokensWhenShortLeft = longTokens.get();
            GenerationResult longResult = await(longHandle);

            assertThat(shortResult.tokens()).hasSize(6);
            assertThat(longTokensWhenShortLeft).as("long sequence still decoding after the short one left")
                    .isLessThan(longResult.tokens().length);
            assertThat(longResult.tokens()).containsExactly(
                    generator.generate("Once upon a time", longSettings, Hooks.NONE, TokenListener.NONE).tokens());
            assertThat(shortResult.tokens()).containsExactly(
                    generator.generate("The cat", shortSettings, Hooks.NONE, TokenListener.NONE).tokens());
            assertThat(batcher.activeSequences()).isZero();
        }
    }

    @Test
    void cancelledSequenceLeavesAtNextStep() throws Exception {
        AtomicReference<GenerationHandle> handle = new AtomicReference<>();
        CountDownLatch submitted = new CountDownLatch(1);
        AtomicInteger tokensAfterCancel = new AtomicInteger(-1);
        TokenListener cancelAfterThree = new TokenListener() {
            private int count;

            @Override
            public void onToken(int tokenId, String textDelta) {
                count++;
                if (count == 3) {
                    awaitQuietly(submitted);
                    handle.get().cancel();
                }
                if (count > 3) {
                    tokensAfterCancel.incrementAndGet();
                }
            }
        };

        try (ContinuousBatcher batcher = new ContinuousBatcher("test", generator, BatcherSettings.defaults())) {
            handle.set(batcher.submit(request("Once upon a time", SamplingSettings.builder().maxTokens(400)
                    .temperature(0.8f).seed(4).build(), cancelAfterThree)));
            submitted.countDown();

            GenerationResult result = await(handle.get());

            assertThat(result.finishReason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(result.tokens()).hasSize(3);
            assertThat(tokensAfterCancel.get()).isEqualTo(-1);
            assertThat(batcher.activeSequences()).isZero();
        }
    }

    @Test
    void fullWaitingQueueRejectsRequest() throws Exception {
        CountDownLatch firstDecoding = new CountDownLatch(2);
        TokenListener countDown = (token, text) -> firstDecoding.countDown();
        SamplingSettings endless = SamplingSettings.builder().maxTokens(400).temperature(0.8f).seed(9).build();

        try (ContinuousBatcher batcher = new ContinuousBatcher("test", generator, new BatcherSettings(1, 1, 0))) {
            GenerationHandle first = batcher.submit(request("Once upon a time", endless, countDown));
            assertThat(firstDecoding.await(60, TimeUnit.SECONDS)).isTrue();
            GenerationHandle second = batcher.submit(request("The dog", SamplingSettings.greedy(5),
                    TokenListener.NONE));

            assertThatThrownBy(() -> batcher.submit(request("The cat", SamplingSettings.greedy(5),
                    TokenListener.NONE)))
                    .isInstanceOf(AdmissionRejectedException.class)
                    .hasMessageContaining("1 waiting requests");
            assertThat(batcher.waitingRequests()).isEqualTo(1);

            first.cancel();
            assertThat(await(first).finishReason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(await(second).tokens()).hasSize(5);
        }
    }

    @Test
    void errorInDecodeStepKeepsLoopRunning() throws Exception {
        TokenListener failing = (token, text) -> {
            throw new OutOfMemoryError("listener failed while decoding");
        };
        SamplingSettings settings = SamplingSettings.greedy(20);

        try (ContinuousBatcher batcher = new ContinuousBatcher("test", generator, BatcherSettings.defaults())) {
            GenerationHandle failed = batcher.submit(request("Once upon a time", settings, failing));
            assertThatThrownBy(() -> await(failed)).hasCauseInstanceOf(OutOfMemoryError.class);

            GenerationHandle next = batcher.submit(request("The little dog", settings, TokenListener.NONE));
            assertThat(await(next).tokens()).hasSize(20);
            assertThat(batcher.activeSequences()).isZero();
            assertThat(batcher.waitingRequests()).isZero();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
