package dev.mlsuite.detection.reduction;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The detection service started with a reduced layer that the 6-layer encoder does not have, with
 * models loading in the background as in the default configuration.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "inference.load-in-background=true",
        "inference.models.detector.options.reduction=pitome",
        "inference.models.detector.options.reduction-ratio=0.8",
        "inference.models.detector.options.reduction-layers=9"})
class InvalidReductionServiceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(120);

    /** Polls readiness until the failed model load shows up in it, and returns that response. */
    private HttpResponse<String> readinessAfterLoadFailure() throws Exception {
        Instant deadline = Instant.now().plus(LOAD_TIMEOUT);
        HttpResponse<String> readiness = send(request("/actuator/health/readiness"));
        while (!readiness.body().contains("layer index") && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            readiness = send(request("/actuator/health/readiness"));
        }
        return readiness;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    @Test
    void processStaysAliveButNotReady() throws Exception {
        HttpResponse<String> readiness = readinessAfterLoadFailure();
        HttpResponse<String> liveness = send(request("/actuator/health/liveness"));

        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.body()).contains("layer index 9 is outside 0..5").contains("'detector'");
    }

    @Test
    void detectionIsRejectedAsModelUnavailable() throws Exception {
        readinessAfterLoadFailure();

        HttpResponse<String> response = send(request("/v1/detections")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"The committee approved the budget.\"}")));

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asString()).endsWith("/problems/model-unavailable");
    }
}
