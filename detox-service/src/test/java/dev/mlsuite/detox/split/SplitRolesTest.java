package dev.mlsuite.detox.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlsuite.detox.DetoxServiceApplication;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A prefill and a decode instance of the service whose split endpoints run the llama2.c model
 * stories260K instead of the service's model, each a real Spring context on its own random port in
 * this JVM. The decode instance also serves client requests on its own, as a monolithic instance
 * does, and gives the reference tokens.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SplitRolesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SHORT_REQUEST =
            "{\"prompt\":\"Once upon a time\",\"maxTokens\":40,\"temperature\":0.9,\"topP\":0.95,\"seed\":17}";
    private static final String LONG_REQUEST =
            "{\"prompt\":\"The little dog\",\"maxTokens\":250,\"temperature\":1.0,\"topK\":40,\"seed\":23}";

    private static ConfigurableApplicationContext decode;
    private static ConfigurableApplicationContext prefill;
    private static URI decodeUrl;
    private static URI prefillUrl;

    @BeforeAll
    static void startInstances() {
        decode = start("DECODE", "");
        decodeUrl = baseUrl(decode);
        prefill = start("PREFILL", decodeUrl.toString());
        prefillUrl = baseUrl(prefill);
    }

    @AfterAll
    static void stopInstances() {
        if (prefill != null) {
            prefill.close();
        }
        if (decode != null && decode.isActive()) {
            decode.close();
        }
    }

    private static ConfigurableApplicationContext start(String role, String decodeInstances) {
        return new SpringApplicationBuilder(DetoxServiceApplication.class).run(
                "--server.port=0",
                "--server.shutdown=immediate",
                "--detox.language-model=../models/detox/lm",
                "--detox.sae=../models/detox/sae",
                "--detox.scorer=../models/detox/scorer",
                "--detox.split.enabled=true",
                "--detox.split.role=" + role,
                "--detox.split.model-folder=../models/stories260K",
                "--detox.split.decode-instances=" + decodeInstances,
                "--detox.split.handover-timeout=2s",
                "--detox.split.token-timeout=5s",
                "--inference.intra-op-threads=1");
    }

    private static URI baseUrl(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return URI.create("http://127.0.0.1:" + port);
    }

    private static JsonNode generate(URI instance, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(instance.resolve("/v1/split/generations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<Integer> tokens(JsonNode result) {
        List<Integer> tokens = new ArrayList<>();
        result.get("tokens").forEach(token -> tokens.add(token.asInt()));
        return tokens;
    }

    @Test
    @Order(1)
    void splitMatchesMonolithicTokens() throws Exception {
        JsonNode monolithic = generate(decodeUrl, SHORT_REQUEST);
        JsonNode split = generate(prefillUrl, SHORT_REQUEST);

        assertThat(monolithic.get("decodedBy").asString()).isEqualTo("local");
        assertThat(split.get("decodedBy").asString()).isEqualTo(decodeUrl.toString());
        assertThat(split.get("role").asString()).isEqualTo("PREFILL");
        assertThat(split.get("promptTokens").asInt()).isEqualTo(monolithic.get("promptTokens").asInt());
        assertThat(tokens(monolithic)).hasSize(40);
        assertThat(tokens(split)).containsExactlyElementsOf(tokens(monolithic));
        assertThat(split.get("text").asString()).isEqualTo(monolithic.get("text").asString());
        assertThat(split.get("timings").get("transferBytes").asInt()).isGreaterThan(1000);

        MeterRegistry meters = prefill.getBean(MeterRegistry.class);
        assertThat(meters.get("detox.split.transfer.bytes").summary().count()).isEqualTo(1);
        assertThat(meters.get("detox.split.transfer.time").timer().count()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void decodeStatusReportsRoleAndLoad() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                decodeUrl.resolve("/internal/v1/decode-status")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode status = JSON.readTree(response.body());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(status.get("role").asString()).isEqualTo("DECODE");
        assertThat(status.get("accepting").asBoolean()).isTrue();
        assertThat(status.get("activeSequences").asInt()).isZero();
    }

    @Test
    @Order(3)
    void decodeInstanceKilledMidStreamFallsBackLocally() throws Exception {
        List<Integer> reference = tokens(generate(decodeUrl, LONG_REQUEST));
        assertThat(reference).hasSizeGreaterThan(100);

        HttpResponse<java.util.stream.Stream<String>> response = HTTP.send(HttpRequest.newBuilder(
                        prefillUrl.resolve("/v1/split/generations/stream"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(LONG_REQUEST)).build(), HttpResponse.BodyHandlers.ofLines());
        List<Integer> streamed = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        String finishReason = null;
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (!line.startsWith("data:")) {
                continue;
            }
            JsonNode event = JSON.readTree(line.substring("data:".length()));
            if (event.has("finishReason")) {
                finishReason = event.get("finishReason").asString();
                break;
            }
            streamed.add(event.get("token").asInt());
            indexes.add(event.get("index").asInt());
            if (streamed.size() == 20) {
                decode.close();
            }
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(finishReason).isNotNull();
        assertThat(streamed).containsExactlyElementsOf(reference);
        assertThat(indexes).doesNotHaveDuplicates();
        MeterRegistry meters = prefill.getBean(MeterRegistry.class);
        assertThat(meters.get("detox.split.transfer.bytes").summary().count()).as("hand-overs accepted")
                .isEqualTo(2);
        assertThat(prefill.getBean(MeterRegistry.class).get("detox.split.handover.local").counter().count())
                .isEqualTo(1);
    }

    @Test
    @Order(4)
    void steeringIsRejectedWithoutSae() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(prefillUrl.resolve("/v1/split/generations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"prompt\":\"Once upon a time\",\"steering\":{\"tier\":\"high\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asString()).endsWith("/problems/steering-unavailable");
        assertThat(problem.get("detail").asString()).contains("stories260K");
    }

    @Test
    @Order(5)
    void downDecodeInstanceIsSkipped() throws Exception {
        JsonNode result = generate(prefillUrl, SHORT_REQUEST);

        assertThat(result.get("decodedBy").asString()).isEqualTo("local");
        assertThat(tokens(result)).hasSize(40);
        assertThat(result.get("timings").get("transferBytes").asInt()).isZero();
    }
}
