package dev.mlsuite.platform.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;

import tools.jackson.databind.JsonNode;

import dev.mlsuite.inference.api.NDScopes;
import dev.mlsuite.platform.inference.testapp.InferenceTestApplication;
import dev.mlsuite.platform.inference.testapp.LinearTestModel;
import dev.mlsuite.platform.inference.testapp.LinearTestModelFactory;

@SpringBootTest(classes = InferenceTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("inference-test")
class InferenceStarterIntegrationTest {

    private static final long MEBIBYTE = 1024 * 1024;

    @LocalServerPort
    int port;

    @Autowired
    ModelRegistry registry;

    @Autowired
    LinearTestModelFactory factory;

    @Autowired
    InferenceMetrics metrics;

    HttpTestClient http;

    @BeforeEach
    void waitForReadiness() {
        http = new HttpTestClient(port);
        await().atMost(Duration.ofSeconds(120))
                .untilAsserted(() -> assertThat(http.get("/actuator/health/readiness").getStatusCode())
                        .isEqualTo(HttpStatus.OK));
    }

    @Test
    void readinessReportsWarmModels() {
        ResponseEntity<String> response = http.get("/actuator/health/readiness");
        JsonNode inference = HttpTestClient.json(response).path("components").path("inference");

        assertThat(inference.path("status").asString()).isEqualTo("UP");
        for (String name : List.of("sized", "timed", "gated", "metered", "memory")) {
            JsonNode model = inference.path("details").path(name);
            assertThat(model.path("state").asString()).as(name).isEqualTo("READY");
            assertThat(model.path("device").asString()).as(name).isEqualTo("cpu()");
            assertThat(model.path("parameters").asLong()).as(name).isEqualTo(factory.model(name).parameterCount());
            assertThat(factory.model(name).warmUpCount()).as(name).isEqualTo(1);
        }
        // input 4 -> hidden 16 -> output 2: (4 * 16 + 16) + (16 * 2 + 2) parameters
        assertThat(inference.path("details").path("sized").path("parameters").asLong()).isEqualTo(114);
    }

    @Test
    void batchesFormByMaxBatchSize() {
        LinearTestModel model = factory.model("sized");
        MicroBatcher<float[], float[]> batcher = registry.batcher("sized");

        // max-batch-size 4 and max-delay 1m: only the size can close these batches in time.
        List<CompletableFuture<float[]>> outputs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            outputs.add(batcher.submit(new float[] {i, 1, 2, 3}));
        }
        CompletableFuture.allOf(outputs.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();

        assertThat(model.observedBatchSizes()).containsExactly(4, 4);
        assertThat(outputs).allSatisfy(output -> assertThat(output.join()).hasSize(2));
    }

    @Test
    void batchesFormByMaxDelay() {
        LinearTestModel model = factory.model("timed");
        MicroBatcher<float[], float[]> batcher = registry.batcher("timed");

        // max-batch-size 64: three requests never fill a batch, so the 200 ms delay closes it.
        List<CompletableFuture<float[]>> outputs = List.of(
                batcher.submit(new float[] {1, 0, 0, 0}),
                batcher.submit(new float[] {0, 1, 0, 0}),
                batcher.submit(new float[] {0, 0, 1, 0}));
        CompletableFuture.allOf(outputs.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();

        assertThat(model.observedBatchSizes()).containsExactly(3);
    }

    @Test
    void batchedOutputsMatchUnbatchedOutputs() {
        LinearTestModel model = factory.model("metered");
        MicroBatcher<float[], float[]> batcher = registry.batcher("metered");
        List<float[]> inputs = List.of(new float[] {0.5f, -1, 2, 0.25f}, new float[] {3, 1, -2, 0},
                new float[] {0, 0, 0, 1});

        List<CompletableFuture<float[]>> outputs = inputs.stream().map(batcher::submit).toList();
        CompletableFuture.allOf(outputs.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();

        for (int i = 0; i < inputs.size(); i++) {
            float[] alone = model.predictBatch(List.of(inputs.get(i))).get(0);
            assertThat(outputs.get(i).join()).as("input %d", i).containsExactly(alone, Offset.offset(1e-5f));
        }
    }

    @Test
    void fullQueueAnswers429WithRetryAfter() {
        LinearTestModel model = factory.model("gated");
        MicroBatcher<float[], float[]> batcher = registry.batcher("gated");

        // The worker takes the first request and waits at the closed gate; two more fill the queue.
        CompletableFuture<float[]> running = batcher.submit(new float[4]);
        await().atMost(Duration.ofSeconds(30)).until(() -> model.observedBatchSizes().size() == 1);
        CompletableFuture<float[]> queuedFirst = batcher.submit(new float[4]);
        CompletableFuture<float[]> queuedSecond = batcher.submit(new float[4]);
        assertThat(batcher.queueSize()).isEqualTo(2);

        ResponseEntity<String> response = http.postJson("/predict/gated", new float[] {1, 2, 3, 4});

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
        JsonNode problem = HttpTestClient.json(response);
        assertThat(problem.path("type").asString()).isEqualTo("/problems/inference-queue-full");
        assertThat(problem.path("status").asInt()).isEqualTo(429);
        assertThat(problem.path("value").asString()).isEqualTo("gated");
        assertThat(problem.path("requestId").asString()).isNotBlank();

        factory.gates("gated").forward().countDown();
        CompletableFuture.allOf(running, queuedFirst, queuedSecond).orTimeout(30, TimeUnit.SECONDS).join();
        assertThat(model.observedBatchSizes()).containsExactly(1, 1, 1);
    }

    @Test
    void predictionOverHttpReturnsModelOutput() {
        ResponseEntity<String> response = http.postJson("/predict/metered", new float[] {1, 2, 3, 4});

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        JsonNode output = HttpTestClient.json(response);
        float[] expected = factory.model("metered").predictBatch(List.of(new float[] {1, 2, 3, 4})).get(0);
        assertThat(output.size()).isEqualTo(2);
        assertThat((float) output.get(0).asDouble()).isCloseTo(expected[0], Offset.offset(1e-5f));
        assertThat((float) output.get(1).asDouble()).isCloseTo(expected[1], Offset.offset(1e-5f));
    }

    @Test
    void prometheusExposesInferenceMetrics() {
        for (int i = 0; i < 5; i++) {
            assertThat(http.postJson("/predict/metered", new float[] {i, 0, 0, 0}).getStatusCode())
                    .isEqualTo(HttpStatus.OK);
        }
        metrics.record("metered", 120, Duration.ofSeconds(2));

        String body = http.get("/actuator/prometheus").getBody();

        assertThat(sample(body, "inference_queue_wait_seconds_count", "metered")).isGreaterThanOrEqualTo(5);
        assertThat(sample(body, "inference_preprocess_seconds_count", "metered")).isGreaterThanOrEqualTo(1);
        assertThat(sample(body, "inference_forward_seconds_count", "metered")).isGreaterThanOrEqualTo(1);
        assertThat(sample(body, "inference_postprocess_seconds_count", "metered")).isGreaterThanOrEqualTo(1);
        assertThat(sample(body, "inference_batch_size_requests_sum", "metered")).isGreaterThanOrEqualTo(5);
        assertThat(sample(body, "inference_generated_tokens_total", "metered")).isEqualTo(120);
        assertThat(sample(body, "inference_generation_throughput_tokens_per_second_sum", "metered")).isEqualTo(60);
        assertThat(body).contains("inference_queue_size{");
    }

    @Test
    void thousandRequestsKeepNativeMemoryFlat() throws IOException {
        LinearTestModel model = factory.model("memory");
        MicroBatcher<float[], float[]> batcher = registry.batcher("memory");
        Random random = new Random(42);

        runRequests(batcher, random, 200);
        int openArraysBefore = NDScopes.openArrayCount(model.manager());
        long residentBefore = residentSetBytes();

        runRequests(batcher, random, 1000);
        int openArraysAfter = NDScopes.openArrayCount(model.manager());
        long residentAfter = residentSetBytes();

        // Every batch array was freed, so the model's manager contains only its weights again:
        // a weight and a bias for each of the two Linear layers.
        assertThat(openArraysAfter).isEqualTo(openArraysBefore);
        assertThat(openArraysAfter).isEqualTo(4);
        // A leak of the 256 KiB hidden activation per request would add about 250 MiB.
        assertThat(residentAfter - residentBefore).isLessThan(64 * MEBIBYTE);
    }

    private static void runRequests(MicroBatcher<float[], float[]> batcher, Random random, int count) {
        List<CompletableFuture<float[]>> outputs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] input = new float[64];
            for (int j = 0; j < input.length; j++) {
                input[j] = (float) random.nextGaussian();
            }
            outputs.add(batcher.submit(input));
        }
        CompletableFuture.allOf(outputs.toArray(CompletableFuture[]::new)).orTimeout(120, TimeUnit.SECONDS).join();
        assertThat(outputs).allSatisfy(output -> assertThat(output.join()).hasSize(8));
    }

    /** Resident set size of this JVM from /proc/self/status (Linux). */
    private static long residentSetBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                String kibibytes = line.replaceAll("[^0-9]", "");
                return Long.parseLong(kibibytes) * 1024;
            }
        }
        throw new IllegalStateException("/proc/self/status has no VmRSS line");
    }

    /** Value of the Prometheus sample {@code metric} with label model="{@code model}". */
    private static double sample(String body, String metric, String model) {
        Pattern line = Pattern.compile("^" + metric + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher matcher = line.matcher(body);
        while (matcher.find()) {
            if (matcher.group(1).contains("model=\"" + model + "\"")) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError("No sample " + metric + " for model " + model + " in:\n" + body);
    }
}
