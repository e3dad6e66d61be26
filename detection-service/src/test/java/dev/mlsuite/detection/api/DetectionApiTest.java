package dev.mlsuite.detection.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DetectionApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SHORT_HUMAN = "I prefer to cook at home. It is cheaper and I know what is in my food.";
    private static final String SHORT_OTHER = "This report investigates character embeddings for reading comprehension.";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(String path, Object body) throws Exception {
        return post(path, "application/json", JSON.writeValueAsBytes(body));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int storedDetections() {
        return jdbc.queryForObject("SELECT count(*) FROM detection.detections", Integer.class);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                contentType -> assertThat(contentType).startsWith("application/problem+json"));
        assertThat(JSON.readTree(response.body()).get("type").asString()).isEqualTo(type);
    }

    @Test
    void sampleEssayIsScoredStoredAndFetched() throws Exception {
        String essay = JSON.readTree(Files.readString(Path.of("../samples/detection/essay.json"))).get("text")
                .asString();

        HttpResponse<String> response = postJson("/v1/detections", Map.of("text", essay));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        double probability = body.get("probability").asDouble();
        double threshold = body.get("threshold").asDouble();
        assertThat(probability).isBetween(0.0, 1.0);
        assertThat(body.get("label").asString()).isEqualTo(probability >= threshold ? "ai" : "human");
        assertThat(body.get("model").get("name").asString()).isEqualTo("minilm-l6-detection-head");
        assertThat(body.get("model").get("version").asString()).isNotBlank();
        assertThat(body.get("model").get("tokenReduction").asString()).isEqualTo("none");
        assertThat(body.get("timings").get("modelMs").asDouble()).isPositive();
        assertThat(body.get("timings").get("totalMs").asDouble())
                .isGreaterThanOrEqualTo(body.get("timings").get("modelMs").asDouble());

        JsonNode sentences = body.get("sentences");
        assertThat(sentences.size()).isGreaterThan(3);
        int previousEnd = 0;
        for (JsonNode sentence : sentences) {
            int start = sentence.get("start").asInt();
            int end = sentence.get("end").asInt();
            assertThat(start).isGreaterThanOrEqualTo(previousEnd);
            assertThat(end).isGreaterThan(start).isLessThanOrEqualTo(essay.length());
            assertThat(essay.substring(start, end)).isEqualTo(essay.substring(start, end).strip());
            assertThat(sentence.get("probability").asDouble()).isBetween(0.0, 1.0);
            previousEnd = end;
        }

        String id = body.get("id").asString();
        HttpResponse<String> fetched = get("/v1/detections/" + id);
        assertThat(fetched.statusCode()).isEqualTo(200);
        JsonNode stored = JSON.readTree(fetched.body());
        assertThat(stored.get("label").asString()).isEqualTo(body.get("label").asString());
        assertThat(stored.get("probability").asDouble()).isEqualTo(probability);
        assertThat(stored.get("sentences")).isEqualTo(sentences);
        assertThat(stored.get("model")).isEqualTo(body.get("model"));

        Map<String, Object> row = jdbc.queryForMap(
                "SELECT input_sha256, input_chars, input_text, sentence_count, token_reduction FROM detection.detections"
                        + " WHERE id = ?::uuid",
                id);
        assertThat(row.get("input_sha256")).isEqualTo(DetectionService.sha256(essay));
        assertThat(row.get("input_chars")).isEqualTo(essay.length());
        assertThat(row.get("input_text")).isNull();
        assertThat(row.get("sentence_count")).isEqualTo(sentences.size());
        assertThat(row.get("token_reduction")).isEqualTo("none");
    }

    @Test
    void batchKeepsInputOrder() throws Exception {
        JsonNode first = JSON.readTree(postJson("/v1/detections", Map.of("text", SHORT_HUMAN)).body());
        JsonNode second = JSON.readTree(postJson("/v1/detections", Map.of("text", SHORT_OTHER)).body());

        HttpResponse<String> response = postJson("/v1/detections/batch",
                Map.of("texts", List.of(SHORT_OTHER, SHORT_HUMAN, SHORT_OTHER)));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode results = JSON.readTree(response.body()).get("results");
        assertThat(results.size()).isEqualTo(3);
        assertThat(results.get(0).get("probability").asDouble())
                .isCloseTo(second.get("probability").asDouble(), within(1e-6));
        assertThat(results.get(1).get("probability").asDouble())
                .isCloseTo(first.get("probability").asDouble(), within(1e-6));
        assertThat(results.get(2).get("probability").asDouble())
                .isCloseTo(second.get("probability").asDouble(), within(1e-6));
        List<String> ids = new ArrayList<>();
        results.forEach(result -> ids.add(result.get("id").asString()));
        assertThat(ids).doesNotHaveDuplicates();
        for (String id : ids) {
            assertThat(get("/v1/detections/" + id).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void invalidTextsAreRejected() throws Exception {
        int before = storedDetections();

        assertProblem(postJson("/v1/detections", Map.of("text", "")), 400, "/problems/empty-text");
        assertProblem(postJson("/v1/detections", Map.of("text", " \n\t ")), 400, "/problems/empty-text");
        assertProblem(postJson("/v1/detections/batch", Map.of("texts", List.of("fine text", "  "))), 400,
                "/problems/empty-text");
        assertProblem(postJson("/v1/detections", Map.of("other", "x")), 400, "/problems/missing-text");
        assertProblem(postJson("/v1/detections", Map.of("text", 42)), 400, "/problems/invalid-text");
        assertProblem(postJson("/v1/detections/batch", Map.of("texts", List.of())), 400, "/problems/empty-batch");
        assertProblem(post("/v1/detections", "application/json", "{\"text\": ".getBytes(StandardCharsets.UTF_8)),
                400, "/problems/malformed-json");

        assertThat(storedDetections()).isEqualTo(before);
    }

    @Test
    void nulCharacterIsRejectedNamingIndex() throws Exception {
        int before = storedDetections();

        HttpResponse<String> single = postJson("/v1/detections", Map.of("text", "A text with \u0000 inside."));
        HttpResponse<String> batch = postJson("/v1/detections/batch",
                Map.of("texts", List.of(SHORT_HUMAN, "\u0000 first")));

        assertProblem(single, 400, "/problems/invalid-character");
        JsonNode problem = JSON.readTree(single.body());
        assertThat(problem.get("detail").asString()).contains("U+0000").contains("'text'");
        assertThat(problem.get("value").get("index").asInt()).isEqualTo(12);
        assertProblem(batch, 400, "/problems/invalid-character");
        assertThat(JSON.readTree(batch.body()).get("detail").asString()).contains("'texts[1]'").contains("index 0");
        assertThat(storedDetections()).isEqualTo(before);
    }

    @Test
    void textOverLimitIsRejectedNamingLimit() throws Exception {
        HttpResponse<String> response = postJson("/v1/detections", Map.of("text", "word ".repeat(4001)));

        assertProblem(response, 413, "/problems/input-too-large");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("detail").asString()).contains("20000").contains("detection.max-text-chars");
        assertThat(problem.get("value").asInt()).isEqualTo(20005);
    }

    @Test
    void tooManyBatchTextsAreRejectedNamingLimit() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            texts.add("text number " + i);
        }

        HttpResponse<String> response = postJson("/v1/detections/batch", Map.of("texts", texts));

        assertProblem(response, 413, "/problems/too-many-texts");
        assertThat(JSON.readTree(response.body()).get("detail").asString()).contains("16")
                .contains("detection.max-batch-texts");
    }

    @Test
    void oversizedBodyIsRejectedBeforeParsing() throws Exception {
        byte[] body = new byte[2 * 1024 * 1024 + 1];
        java.util.Arrays.fill(body, (byte) ' ');

        HttpResponse<String> response = post("/v1/detections", "application/json", body);

        assertProblem(response, 413, "/problems/input-too-large");
        assertThat(JSON.readTree(response.body()).get("detail").asString()).contains("detection.max-request-size");
    }

    @Test
    void invalidUtf8IsRejected() throws Exception {
        byte[] prefix = "{\"text\": \"caf".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + 1 + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xE9; // Latin-1 "é", never valid alone in UTF-8
        System.arraycopy(suffix, 0, body, prefix.length + 1, suffix.length);

        assertProblem(post("/v1/detections", "application/json", body), 400, "/problems/invalid-utf8");
    }

    @Test
    void wrongContentTypeIsRejected() throws Exception {
        byte[] body = "{\"text\": \"hello\"}".getBytes(StandardCharsets.UTF_8);

        assertProblem(post("/v1/detections", "text/plain", body), 415, "/problems/unsupported-media-type");
        assertProblem(post("/v1/detections/batch", "application/x-www-form-urlencoded", body), 415,
                "/problems/unsupported-media-type");
        assertProblem(post("/v1/detections", "application/json; charset=ISO-8859-1", body), 415,
                "/problems/unsupported-charset");
    }

    @Test
    void unknownOrInvalidIdIsRejected() throws Exception {
        assertProblem(get("/v1/detections/00000000-0000-0000-0000-000000000000"), 404,
                "/problems/detection-not-found");
        assertProblem(get("/v1/detections/not-a-uuid"), 400, "/problems/invalid-id");
    }

    @Test
    void readinessReportsLoadedDetector() throws Exception {
        HttpResponse<String> response = get("/actuator/health/readiness");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode inference = JSON.readTree(response.body()).get("components").get("inference");
        assertThat(inference.get("status").asString()).isEqualTo("UP");
        assertThat(inference.toString()).contains("detector").contains("minilm-l6-detection-head");
    }
}
