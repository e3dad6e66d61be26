package dev.mlsuite.platform.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mlsuite.inference.api.NDScopes;
import dev.mlsuite.inference.api.StagedBatchPredictor;
import dev.mlsuite.platform.inference.InferenceProperties.Batching;

class MicroBatcherTest {

    private final SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();
    private final InferenceMetrics metrics = new InferenceMetrics(meterRegistry);
    private final List<MicroBatcher<?, ?>> batchers = new ArrayList<>();

    @AfterEach
    void closeBatchers() {
        batchers.forEach(MicroBatcher::close);
    }

    @Test
    void failingBatchFailsEveryRequestOfIt() {
        MicroBatcher<Integer, Integer> batcher = batcher("failing", 4, Duration.ofSeconds(30), 16);
        batcher.start(inputs -> {
            throw new IllegalArgumentException("input out of range: " + inputs);
        });

        List<CompletableFuture<Integer>> outputs = List.of(batcher.submit(1), batcher.submit(2), batcher.submit(3),
                batcher.submit(4));

        for (CompletableFuture<Integer> output : outputs) {
            assertThatThrownBy(() -> output.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("input out of range: [1, 2, 3, 4]");
        }
    }

    @Test
    void predictRethrowsTheModelException() {
        MicroBatcher<Integer, Integer> batcher = batcher("throwing", 1, Duration.ZERO, 16);
        batcher.start(inputs -> {
            throw new IllegalArgumentException("input out of range: " + inputs);
        });

        assertThatThrownBy(() -> batcher.predict(5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("input out of range: [5]");
    }

    @Test
    void wrongOutputCountFailsTheBatch() {
        MicroBatcher<Integer, Integer> batcher = batcher("short", 2, Duration.ofSeconds(30), 16);
        batcher.start(inputs -> List.of(0));

        CompletableFuture<Integer> first = batcher.submit(1);
        CompletableFuture<Integer> second = batcher.submit(2);

        assertThatThrownBy(() -> first.get(30, TimeUnit.SECONDS))
                .hasMessageContaining("Model 'short' returned 1 outputs for a batch of 2 inputs");
        assertThatThrownBy(() -> second.get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void outputsFollowInputOrder() {
        MicroBatcher<Integer, Integer> batcher = batcher("order", 8, Duration.ofMillis(50), 64);
        batcher.start(inputs -> inputs.stream().map(input -> input * 10).toList());

        List<CompletableFuture<Integer>> outputs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            outputs.add(batcher.submit(i));
        }

        for (int i = 0; i < 20; i++) {
            assertThat(outputs.get(i).orTimeout(30, TimeUnit.SECONDS).join()).isEqualTo(i * 10);
        }
        assertThat(meterRegistry.get("inference.batch.size").tag("model", "order").summary().max())
                .isLessThanOrEqualTo(8);
    }

    @Test
    void fullQueueRejectsWith429() {
        MicroBatcher<Integer, Integer> batcher = batcher("full", 1, Duration.ZERO, 2);
        // Not started: requests stay in the queue, as while a model loads.
        batcher.submit(1);
        batcher.submit(2);

        assertThatThrownBy(() -> batcher.submit(3))
                .isInstanceOfSatisfying(InferenceRejectedException.class, rejected -> {
                    assertThat(rejected.status().value()).isEqualTo(429);
                    assertThat(rejected.retryAfter()).contains(Duration.ofSeconds(1));
                });
        assertThat(meterRegistry.get("inference.requests.rejected").tag("model", "full").counter().count())
                .isEqualTo(1);
    }

    @Test
    void failRejectsWaitingAndLaterRequests() {
        MicroBatcher<Integer, Integer> batcher = batcher("broken", 1, Duration.ZERO, 4);
        CompletableFuture<Integer> waiting = batcher.submit(1);

        batcher.fail("it failed to load (IOException: disk error)");

        assertThat(waiting).isCompletedExceptionally();
        assertThatThrownBy(waiting::join).hasCauseInstanceOf(InferenceRejectedException.class);
        assertThatThrownBy(() -> batcher.submit(2))
                .isInstanceOfSatisfying(InferenceRejectedException.class, rejected -> {
                    assertThat(rejected.status().value()).isEqualTo(503);
                    assertThat(rejected.getMessage()).contains("IOException: disk error");
                });
    }

    @Test
    void openArrayCountDetectsLeakingPredictor() {
        // Control for the native-memory test: a predictor that attaches its output to the model's
        // manager instead of the batch manager must show up in the open-array count.
        try (NDManager modelManager = NDManager.newBaseManager()) {
            MicroBatcher<float[], float[]> batcher = batcher("leaking", 1, Duration.ZERO, 16);
            batcher.start(new LeakingPredictor(modelManager));
            int before = NDScopes.openArrayCount(modelManager);

            for (int i = 0; i < 10; i++) {
                batcher.predict(new float[] {i, i + 1});
            }

            assertThat(NDScopes.openArrayCount(modelManager)).isEqualTo(before + 10);
        }
    }

    private <I, O> MicroBatcher<I, O> batcher(String model, int maxBatchSize, Duration maxDelay, int queueCapacity) {
        MicroBatcher<I, O> batcher = new MicroBatcher<>(model,
                new Batching(maxBatchSize, maxDelay, queueCapacity, Duration.ofSeconds(1)), metrics.forModel(model));
        batchers.add(batcher);
        return batcher;
    }

    private record LeakingPredictor(NDManager manager)
            implements StagedBatchPredictor<float[], NDArray, NDArray, float[]> {

        @Override
        public NDArray preprocess(NDManager batchManager, List<float[]> inputs) {
            return batchManager.create(inputs.toArray(float[][]::new));
        }

        @Override
        public NDArray forward(NDManager batchManager, NDArray batch) {
            NDArray doubled = batch.mul(2);
            doubled.attach(manager); // the leak: outlives the batch manager
            return doubled;
        }

        @Override
        public List<float[]> postprocess(NDManager batchManager, NDArray result, List<float[]> inputs) {
            return List.of(result.toFloatArray()); // batch size 1
        }
    }
}
