package dev.mlsuite.detection.reduction;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The detection service started with PiToMe token reduction from configuration alone. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "inference.models.detector.options.reduction=pitome",
        "inference.models.detector.options.reduction-ratio=0.85"})
class PitomeDetectionServiceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void detectsCommittedDocumentsWithPitome() throws Exception {
        JsonNode documents;
        try (InputStream input = getClass().getResourceAsStream("/detection/test-split-documents.json")) {
            documents = JSON.readTree(input);
        }
        HttpClient http = HttpClient.newHttpClient();

        for (JsonNode document : documents) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/detections"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(
                            JSON.writeValueAsBytes(Map.of("text", document.get("text").asString()))))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(document.get("id").asString()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).get("label").asString()).as(document.get("id").asString())
                    .isEqualTo(document.get("label").asString());
        }
    }

    @Test
    void resultRecordsTokenReduction() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/detections"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"The committee approved the budget.\"}"))
                .build();

        JsonNode body = JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        String id = body.get("id").asString();
        JsonNode fetched = JSON.readTree(http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v1/detections/" + id)).build(),
                HttpResponse.BodyHandlers.ofString()).body());

        assertThat(body.get("model").get("tokenReduction").asString()).isEqualTo("pitome ratio=0.85");
        assertThat(fetched.get("model").get("tokenReduction").asString()).isEqualTo("pitome ratio=0.85");
        assertThat(jdbc.queryForObject("SELECT token_reduction FROM detection.detections WHERE id = ?::uuid",
                String.class, id)).isEqualTo("pitome ratio=0.85");
    }

    @Test
    void readinessNamesRefittedCalibration() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode detector = JSON.readTree(response.body()).get("components").get("inference").get("details")
                .get("detector");
        assertThat(detector.get("tokenReduction").asString()).isEqualTo("pitome ratio=0.85");
        assertThat(detector.get("calibration").asString()).startsWith("refitted for pitome ratio=0.85")
                .contains("pitome-0.85.json");
    }
}
