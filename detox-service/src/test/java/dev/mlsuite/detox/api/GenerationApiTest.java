package dev.mlsuite.detox.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlsuite.detox.generation.GenerationOutcome;
import dev.mlsuite.inference.generation.FinishReason;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GenerationApiTest {

    @DynamicPropertySource
    static void modelFolders(DynamicPropertyRegistry registry) {
        registry.add("detox.language-model", () -> "../models/detox/lm");
        registry.add("detox.sae", () -> "../models/detox/sae");
        registry.add("detox.scorer", () -> "../models/detox/scorer");
        registry.add("inference.device", () -> "cpu");
        registry.add("inference.intra-op-threads", () -> "1");
        registry.add("inference.inter-op-threads", () -> "1");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DetoxGenerationService generations;

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Reply(int status, JsonNode body) {
    }

    @BeforeEach
    void checkPort() {
        assertThat(port).isPositive();
    }

    private Reply post(String path, Object body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), json.readTree(response.body()));
    }

    private Reply postJson(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), json.readTree(response.body()));
    }

    private Reply get(String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), json.readTree(response.body()));
    }

    @Test
    void generationIsReturnedScoredAndStored() throws Exception {
        Reply reply = post("/v1/generations", Map.of("prompt", "You are such a", "maxTokens", 12, "seed", 3,
                "temperature", 0.8, "steering", Map.of("tier", "medium")));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.body();
        assertThat(body.get("tokens").size()).isBetween(1, 12);
        assertThat(body.get("toxicity").asDouble()).isBetween(0.0, 1.0);
        assertThat(body.get("steering").get("tier").asString()).isEqualTo("medium");
        assertThat(body.get("steering").get("features").size()).isPositive();
        assertThat(body.get("timings").get("totalMillis").asDouble()).isPositive();

        Reply stored = get("/v1/generations/" + body.get("id").asString());
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.body().get("text").asString()).isEqualTo(body.get("text").asString());
        assertThat(stored.body().get("steeringTier").asString()).isEqualTo("medium");
    }

    @Test
    void sameSeedGivesSameText() throws Exception {
        Map<String, Object> request = Map.of("prompt", "The page is", "maxTokens", 10, "seed", 42);

        String first = post("/v1/generations", request).body().get("text").asString();
        String second = post("/v1/generations", request).body().get("text").asString();

        assertThat(second).isEqualTo(first);
    }

    @Test
    void badInputsAreProblemDetails() throws Exception {
        assertProblem(post("/v1/generations", Map.of("prompt", "  ")), 400, "/problems/empty-prompt");
        assertProblem(post("/v1/generations", Map.of("prompt", "word ".repeat(700))), 400,
                "/problems/prompt-too-long");
        assertProblem(post("/v1/generations", Map.of("prompt", "x".repeat(4001))), 413,
                "/problems/input-too-large");
        assertProblem(post("/v1/generations", Map.of("prompt", "Hello", "maxTokens", 257)), 400,
                "/problems/max-tokens-out-of-range");
        assertProblem(post("/v1/generations", Map.of("prompt", "Hello", "steering", Map.of("features",
                List.of(1, 100000)))), 400, "/problems/unknown-feature");
        assertProblem(post("/v1/generations", Map.of("prompt", "Hello", "steering", Map.of("strength", 1000))),
                400, "/problems/strength-out-of-range");
        assertProblem(post("/v1/generations", Map.of("prompt", "Hello", "steering", Map.of("strength", -1))), 400,
                "/problems/strength-out-of-range");
        assertProblem(post("/v1/generations", Map.of("prompt", "Hello", "steering", Map.of("tier", "extreme"))),
                400, "/problems/unknown-tier");
        assertProblem(post("/v1/completions", Map.of("prompt", "")), 400, "/problems/empty-prompt");
    }

    @Test
    void completionsRejectUnknownFields() throws Exception {
        Reply reply = post("/v1/completions", Map.of("prompt", "The talk page", "maxTokens", 6));

        assertProblem(reply, 400, "/problems/unknown-field");
        assertThat(reply.body().get("value").asString()).isEqualTo("maxTokens");
        assertThat(reply.body().get("detail").asString()).contains("maxTokens").contains("max_tokens")
                .contains("top_p").contains("stream");
        assertThat(jdbc.queryForObject("select count(*) from generations where prompt = 'The talk page'",
                Long.class)).isZero();
    }

    @Test
    void completionsNameMaxTokensField() throws Exception {
        Reply reply = post("/v1/completions", Map.of("prompt", "Hello", "max_tokens", 1000));

        assertProblem(reply, 400, "/problems/max-tokens-out-of-range");
        assertThat(reply.body().get("detail").asString()).startsWith("max_tokens must be in 1..256");
    }

    @Test
    void misspelledSteeringFieldIsRejected() throws Exception {
        Reply reply = postJson("/v1/generations", "{\"prompt\":\"Hello\",\"steering\":{\"teir\":\"high\"}}");

        assertProblem(reply, 400, "/problems/unknown-field");
        assertThat(reply.body().get("value").asString()).isEqualTo("teir");
        assertThat(reply.body().get("path").asString()).isEqualTo("$.steering.teir");
        assertThat(reply.body().get("detail").asString()).contains("tier").contains("strength")
                .contains("features").contains("scaleByActivation");
    }

    @Test
    void unknownTopLevelFieldIsRejected() throws Exception {
        for (String path : List.of("/v1/generations", "/v1/generations/stream")) {
            Reply reply = postJson(path, "{\"prompt\":\"Hello\",\"max_tokens\":5}");

            assertProblem(reply, 400, "/problems/unknown-field");
            assertThat(reply.body().get("value").asString()).as(path).isEqualTo("max_tokens");
            assertThat(reply.body().get("detail").asString()).as(path).contains("maxTokens");
        }
    }

    @Test
    void wrongTypesNamePathAndType() throws Exception {
        record Case(String body, String path, String expected) {
        }
        List<Case> cases = List.of(
                new Case("{\"prompt\":\"Hello\",\"maxTokens\":\"ten\"}", "$.maxTokens", "an integer"),
                new Case("{\"prompt\":\"Hello\",\"maxTokens\":99999999999}", "$.maxTokens", "an integer"),
                new Case("{\"prompt\":\"Hello\",\"steering\":\"high\"}", "$.steering", "an object"),
                new Case("[1,2]", "$", "an object"),
                new Case("{\"prompt\":42,\"maxTokens\":3}", "$.prompt", "a string"),
                new Case("{\"prompt\":\"Hello\",\"maxTokens\":10.7}", "$.maxTokens", "an integer"),
                new Case("{\"prompt\":\"Hello\",\"seed\":\"5\"}", "$.seed", "an integer"),
                new Case("{\"prompt\":\"Hello\",\"steering\":{\"features\":[1.5]}}", "$.steering.features[0]",
                        "an integer"));
        for (Case c : cases) {
            Reply reply = postJson("/v1/generations", c.body());

            assertProblem(reply, 400, "/problems/malformed-request");
            assertThat(reply.body().get("path").asString()).as(c.body()).isEqualTo(c.path());
            assertThat(reply.body().get("expectedType").asString()).as(c.body()).startsWith(c.expected());
            assertThat(reply.body().get("detail").asString()).as(c.body()).contains(c.path().equals("$")
                    ? "request body" : c.path());
        }
    }

    @Test
    void completionsRejectScalarsOfOtherTypes() throws Exception {
        record Case(String body, String path, String expected) {
        }
        List<Case> cases = List.of(
                new Case("{\"prompt\":42}", "$.prompt", "a string"),
                new Case("{\"prompt\":\"Hello\",\"max_tokens\":10.7}", "$.max_tokens", "an integer"),
                new Case("{\"prompt\":\"Hello\",\"stream\":\"yes\"}", "$.stream", "true or false"));
        for (Case c : cases) {
            Reply reply = postJson("/v1/completions", c.body());

            assertProblem(reply, 400, "/problems/malformed-request");
            assertThat(reply.body().get("path").asString()).as(c.body()).isEqualTo(c.path());
            assertThat(reply.body().get("expectedType").asString()).as(c.body()).startsWith(c.expected());
        }
    }

    @Test
    void integerTemperatureIsAccepted() throws Exception {
        Reply reply = postJson("/v1/generations", "{\"prompt\":\"Hello\",\"maxTokens\":2,\"temperature\":1}");

        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    }

    @Test
    void nulCharacterIsRejectedBeforeGenerating() throws Exception {
        String prompt = "hi \\u0000 x";
        List<String[]> requests = List.of(
                new String[] {"/v1/generations", "{\"prompt\":\"" + prompt + "\",\"maxTokens\":3}"},
                new String[] {"/v1/generations/stream", "{\"prompt\":\"" + prompt + "\",\"maxTokens\":3}"},
                new String[] {"/v1/completions", "{\"prompt\":\"" + prompt + "\",\"max_tokens\":3}"},
                new String[] {"/v1/completions", "{\"prompt\":\"" + prompt + "\",\"max_tokens\":3,\"stream\":true}"});
        long storedBefore = jdbc.queryForObject("SELECT count(*) FROM generations", Long.class);

        for (String[] request : requests) {
            Reply reply = postJson(request[0], request[1]);

            assertProblem(reply, 400, "/problems/invalid-character");
            String detail = reply.body().get("detail").asString();
            assertThat(detail).as(request[1]).contains("U+0000").contains("index 3").contains("'prompt'");
            assertThat(reply.body().get("value").get("index").asInt()).as(request[1]).isEqualTo(3);
            assertThat(reply.body().get("value").get("character").asString()).isEqualTo("U+0000");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM generations", Long.class)).isEqualTo(storedBefore);
    }

    @Test
    void generatedNulCharacterIsStoredAsReplacement() throws Exception {
        DetoxGenerationService.Plan plan = generations.plan(new GenerationRequest("Hello", 3, null, null, null,
                7L, null));
        UUID id = UUID.randomUUID();
        // Token 3 is the byte-fallback token <0x00> of the llama2.c vocabulary.
        GenerationOutcome outcome = new GenerationOutcome(id, "a\u0000b", new int[] {268, 3, 269},
                plan.promptTokens().length, FinishReason.MAX_TOKENS, 0.1, plan.steering(), 1, 1, 2, null);

        generations.store(plan, "generations", outcome);

        Reply stored = get("/v1/generations/" + id);
        assertThat(stored.status()).as(stored.body().toString()).isEqualTo(200);
        assertThat(stored.body().get("text").asString()).isEqualTo("a\uFFFDb");
    }

    @Test
    void completionsNameTopPAndTemperatureFields() throws Exception {
        Reply topP = post("/v1/completions", Map.of("prompt", "Hello", "top_p", 0));
        Reply temperature = post("/v1/completions", Map.of("prompt", "Hello", "temperature", 9));

        assertProblem(topP, 400, "/problems/invalid-top-p");
        assertThat(topP.body().get("detail").asString()).startsWith("top_p must be in (0, 1]");
        assertThat(topP.body().get("hint").asString()).contains("top_p").doesNotContain("topP");
        assertProblem(temperature, 400, "/problems/invalid-temperature");
        assertThat(temperature.body().get("detail").asString()).startsWith("temperature must be in 0..5");
    }

    @Test
    void completionIdResolvesToStoredGeneration() throws Exception {
        Reply reply = post("/v1/completions", Map.of("prompt", "The article", "max_tokens", 5, "seed", 4));
        String id = reply.body().get("id").asString();

        assertThat(id).startsWith("cmpl-");
        Reply stored = get("/v1/generations/" + id);
        assertThat(stored.status()).as(stored.body().toString()).isEqualTo(200);
        assertThat(stored.body().get("id").asString()).isEqualTo(id.substring("cmpl-".length()));
        assertThat(stored.body().get("text").asString())
                .isEqualTo(reply.body().get("choices").get(0).get("text").asString());
        assertThat(stored.body().get("endpoint").asString()).isEqualTo("completions");
    }

    @Test
    void streamedCompletionIdResolvesToStoredGeneration() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                        Map.of("prompt", "The article", "max_tokens", 5, "seed", 4, "stream", true))))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        StringBuilder streamedText = new StringBuilder();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("data:") && !line.contains("[DONE]")) {
                JsonNode chunk = json.readTree(line.substring(5));
                ids.add(chunk.get("id").asString());
                streamedText.append(chunk.get("choices").get(0).get("text").asString());
            }
        }
        assertThat(ids).isNotEmpty();
        assertThat(ids).containsOnly(ids.get(0));
        Reply stored = get("/v1/generations/" + ids.get(0));
        assertThat(stored.status()).as(stored.body().toString()).isEqualTo(200);
        assertThat(stored.body().get("endpoint").asString()).isEqualTo("completions/stream");
        assertThat(stored.body().get("text").asString()).isEqualTo(streamedText.toString());
    }

    private static void assertProblem(Reply reply, int status, String type) {
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(status);
        assertThat(reply.body().get("type").asString()).isEqualTo(type);
        assertThat(reply.body().has("hint")).isTrue();
    }

    @Test
    void streamSendsTokensThenDone() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/generations/stream"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                        Map.of("prompt", "Please stop", "maxTokens", 8, "seed", 5))))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> events = new ArrayList<>();
        StringBuilder streamedText = new StringBuilder();
        JsonNode done = null;
        String event = null;
        for (String line : response.body().split("\n")) {
            if (line.startsWith("event:")) {
                event = line.substring(6).trim();
                events.add(event);
            } else if (line.startsWith("data:") && "token".equals(event)) {
                streamedText.append(json.readTree(line.substring(5)).get("text").asString());
            } else if (line.startsWith("data:") && "done".equals(event)) {
                done = json.readTree(line.substring(5));
            }
        }
        assertThat(events).contains("token").endsWith("done");
        assertThat(done).isNotNull();
        assertThat(streamedText.toString()).isEqualTo(done.get("text").asString());
    }

    @Test
    void disconnectedStreamStopsGeneration() throws Exception {
        int before = jdbc.queryForObject(
                "SELECT count(*) FROM generations WHERE endpoint = 'generations/stream' AND finish_reason = 'cancelled'",
                Integer.class);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/generations/stream"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                        Map.of("prompt", "Once upon a time", "maxTokens", 256, "seed", 9))))
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            assertThat(reader.readLine()).startsWith("event:");
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int after = before;
        while (after == before && System.nanoTime() < deadline) {
            Thread.sleep(100);
            after = jdbc.queryForObject("SELECT count(*) FROM generations WHERE endpoint = 'generations/stream'"
                    + " AND finish_reason = 'cancelled'", Integer.class);
        }
        assertThat(after).isEqualTo(before + 1);
        Integer tokens = jdbc.queryForObject("SELECT generated_tokens FROM generations WHERE endpoint ="
                + " 'generations/stream' AND finish_reason = 'cancelled' ORDER BY created_at DESC LIMIT 1",
                Integer.class);
        assertThat(tokens).isLessThan(256);
    }

    @Test
    void completionsFollowTheOpenAiShape() throws Exception {
        Reply reply = post("/v1/completions", Map.of("prompt", "The article", "max_tokens", 6, "temperature", 0.7,
                "top_p", 0.9));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("object").asString()).isEqualTo("text_completion");
        JsonNode choice = reply.body().get("choices").get(0);
        assertThat(choice.get("finish_reason").asString()).isIn("stop", "length");
        assertThat(reply.body().get("usage").get("completion_tokens").asInt()).isBetween(1, 6);
    }

    @Test
    void featuresListTheChosenToxicityFeatures() throws Exception {
        Reply reply = get("/v1/features");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode features = reply.body().get("features");
        assertThat(features.size()).isPositive();
        JsonNode first = features.get(0);
        assertThat(first.get("auroc").asDouble()).isGreaterThan(0.5);
        assertThat(first.get("topActivations").size()).isPositive();
        assertThat(first.get("topActivations").get(0).get("context").asString()).contains("[[");
        assertThat(reply.body().get("hookName").asString()).startsWith("blocks.");
    }
}
