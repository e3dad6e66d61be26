package dev.mlsuite.platform.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;

import tools.jackson.databind.JsonNode;

import dev.mlsuite.platform.inference.testapp.InferenceTestApplication;

@SpringBootTest(classes = InferenceTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("load-failure")
class ModelLoadFailureTest {

    @LocalServerPort
    int port;

    @Test
    void failedLoadKeepsReadinessDownWithError() {
        HttpTestClient http = new HttpTestClient(port);
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(
                HttpTestClient.json(http.get("/actuator/health/readiness"))
                        .path("components").path("inference").path("details").path("healthy").path("state")
                        .asString()).isEqualTo("READY"));

        ResponseEntity<String> readiness = http.get("/actuator/health/readiness");
        JsonNode inference = HttpTestClient.json(readiness).path("components").path("inference");

        assertThat(readiness.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(inference.path("status").asString()).isEqualTo("DOWN");
        assertThat(inference.path("details").path("broken").path("state").asString()).isEqualTo("FAILED");
        assertThat(inference.path("details").path("broken").path("error").asString())
                .isEqualTo("IOException: Weights of test model 'broken' are unreadable");
        assertThat(http.get("/actuator/health/liveness").getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void requestToFailedModelAnswers503() {
        HttpTestClient http = new HttpTestClient(port);
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(
                HttpTestClient.json(http.get("/actuator/health/readiness"))
                        .path("components").path("inference").path("details").path("broken").path("state")
                        .asString()).isEqualTo("FAILED"));

        ResponseEntity<String> response = http.postJson("/predict/broken", new float[] {1, 2, 3, 4});

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNull();
        JsonNode problem = HttpTestClient.json(response);
        assertThat(problem.path("type").asString()).isEqualTo("/problems/model-unavailable");
        assertThat(problem.path("detail").asString()).contains("broken", "Weights of test model 'broken' are unreadable");
    }
}
