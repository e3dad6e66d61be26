package dev.mlsuite.detox.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlsuite.detox.DetoxServiceApplication;
import dev.mlsuite.inference.generation.Generator;
import dev.mlsuite.inference.generation.Generator.PrefillRequest;
import dev.mlsuite.inference.generation.SamplingSettings;
import dev.mlsuite.inference.generation.SequenceState;
import dev.mlsuite.inference.generation.SequenceStateCodec;
import dev.mlsuite.inference.generation.TokenListener;
import dev.mlsuite.inference.generation.batching.ContinuousBatcher;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
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
 * Limits and failures of the split roles with the service's model and SAE. Each instance is a real Spring
 * context on its own random port in this JVM. The cases are a full prefill queue, a burst of requests, a
 * failure after the first streamed token, oversized or lying hand-over frames, hand-over timeouts and
 * explicit cancellation of a decode session.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SplitLimitsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String REQUEST = "{\"prompt\":\"You are such a\",\"maxTokens\":40,\"temperature\":0.9,"
            + "\"seed\":11,\"steering\":{\"tier\":\"high\"}}";
    private static final String LONG_REQUEST = "{\"prompt\":\"You are such a\",\"maxTokens\":200,"
            + "\"temperature\":0.9,\"seed\":3,\"steering\":{\"tier\":\"high\"}}";
    private static final long MAX_FRAME_BYTES = 64 * 1024;

    private static ConfigurableApplicationContext decode;
    private static ConfigurableApplicationContext full;
    private static ConfigurableApplicationContext local;
    private static ConfigurableApplicationContext impatient;
    private static URI decodeUrl;
    private static URI fullUrl;
    private static URI localUrl;
    private static URI impatientUrl;

    @BeforeAll
    static void startInstances() {
        decode = start("DECODE", "", "--detox.split.max-frame-size=" + MAX_FRAME_BYTES + "B");
        decodeUrl = baseUrl(decode);
        full = start("PREFILL", "", "--detox.split.max-waiting-requests=0", "--detox.split.retry-after=3s");
        fullUrl = baseUrl(full);
        local = start("PREFILL", "", "--detox.split.max-waiting-requests=2");
        localUrl = baseUrl(local);
        impatient = start("PREFILL", decodeUrl.toString(), "--detox.split.handover-timeout=1ms");
        impatientUrl = baseUrl(impatient);
    }

    @AfterAll
    static void stopInstances() {
        for (ConfigurableApplicationContext context : Arrays.asList(impatient, local, full, decode)) {
            if (context != null && context.isActive()) {
                context.close();
            }
        }
    }

    private static ConfigurableApplicationContext start(String role, String decodeInstances, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--server.shutdown=immediate",
                "--detox.language-model=../models/detox/lm",
                "--detox.sae=../models/detox/sae",
                "--detox.scorer=../models/detox/scorer",
                "--detox.split.enabled=true",
                "--detox.split.role=" + role,
                "--detox.split.decode-instances=" + decodeInstances,
                "--detox.split.token-timeout=5s",
                "--inference.device=cpu",
                "--inference.intra-op-threads=1"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(DetoxServiceApplication.class).run(args.toArray(String[]::new));
    }

    private static URI baseUrl(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return URI.create("http://127.0.0.1:" + port);
    }

    private static HttpRequest post(URI instance, String path, String body) {
        return HttpRequest.newBuilder(instance.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postFrame(URI instance, byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(instance.resolve("/internal/v1/decode-sessions"))
                .header("Content-Type", HandoverFrame.MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static String problemType(HttpResponse<String> response) {
        return JSON.readTree(response.body()).get("type").asString();
    }

    private static double counter(ConfigurableApplicationContext context, String name, String... tags) {
        var counter = context.getBean(MeterRegistry.class).find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    /** One Server-Sent Event: its name and its data as JSON. */
    private record Event(String name, JsonNode data) {
    }

    private static List<Event> events(Stream<String> lines) {
        List<Event> events = new ArrayList<>();
        String name = null;
        for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
            String line = it.next();
            if (line.startsWith("event:")) {
                name = line.substring("event:".length()).strip();
            } else if (line.startsWith("data:")) {
                events.add(new Event(name, JSON.readTree(line.substring("data:".length()))));
            }
        }
        return events;
    }

    @Test
    @Order(1)
    void fullPrefillQueueRejectsBeforeStreaming() throws Exception {
        for (String path : List.of("/v1/generations", "/v1/generations/stream", "/v1/split/generations",
                "/v1/split/generations/stream")) {
            HttpResponse<String> response = send(post(fullUrl, path, REQUEST));

            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(429);
            assertThat(problemType(response)).as(path).endsWith("/problems/generation-queue-full");
            assertThat(response.headers().firstValue("Retry-After")).as(path).hasValue("3");
        }
        HttpResponse<String> completion = send(post(fullUrl, "/v1/completions",
                "{\"prompt\":\"You are such a\",\"max_tokens\":5,\"stream\":true}"));

        assertThat(completion.statusCode()).as(completion.body()).isEqualTo(429);
        assertThat(problemType(completion)).endsWith("/problems/generation-queue-full");
    }

    @Test
    @Order(2)
    void splitEndpointsRejectNulCharacter() throws Exception {
        for (String path : List.of("/v1/split/generations", "/v1/split/generations/stream")) {
            HttpResponse<String> response = send(post(localUrl, path,
                    "{\"prompt\":\"hi \\u0000 x\",\"maxTokens\":3}"));

            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(400);
            assertThat(problemType(response)).as(path).endsWith("/problems/invalid-character");
            assertThat(JSON.readTree(response.body()).get("detail").asString()).as(path).contains("U+0000")
                    .contains("index 3");
        }
    }

    @Test
    @Order(2)
    void splitEndpointRejectsUnknownField() throws Exception {
        HttpResponse<String> response = send(post(fullUrl, "/v1/split/generations",
                "{\"prompt\":\"Hello\",\"steering\":{\"teir\":\"high\"}}"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(problemType(response)).endsWith("/problems/unknown-field");
        assertThat(JSON.readTree(response.body()).get("value").asString()).isEqualTo("teir");
    }

    @Test
    @Order(2)
    void burstGetsResultsOr429() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> generations = new ArrayList<>();
        List<CompletableFuture<HttpResponse<Stream<String>>>> streams = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            generations.add(HTTP.sendAsync(post(localUrl, "/v1/generations", LONG_REQUEST),
                    HttpResponse.BodyHandlers.ofString()));
            streams.add(HTTP.sendAsync(post(localUrl, "/v1/generations/stream", LONG_REQUEST),
                    HttpResponse.BodyHandlers.ofLines()));
        }

        for (CompletableFuture<HttpResponse<String>> generation : generations) {
            HttpResponse<String> response = generation.join();
            assertThat(response.statusCode()).as(response.body()).isIn(200, 429);
            if (response.statusCode() == 429) {
                assertThat(problemType(response)).endsWith("/problems/generation-queue-full");
            }
        }
        for (CompletableFuture<HttpResponse<Stream<String>>> stream : streams) {
            HttpResponse<Stream<String>> response = stream.join();
            assertThat(response.statusCode()).isIn(200, 429);
            if (response.statusCode() == 200) {
                List<Event> events = events(response.body());
                assertThat(events).isNotEmpty();
                assertThat(events.get(events.size() - 1).name()).isEqualTo("done");
            } else {
                response.body().close();
            }
        }
    }

    @Test
    @Order(3)
    void lyingLengthFieldIsInvalidHandover() throws Exception {
        // Magic, version 1, empty request id, 1 streamed token and a state declared as 0x7ffffff0 bytes: 21 bytes.
        ByteBuffer frame = ByteBuffer.allocate(21).order(ByteOrder.LITTLE_ENDIAN);
        frame.put("MLHO".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(0).putInt(1).putInt(0x7ffffff0);
        frame.put((byte) 0);

        HttpResponse<String> response = postFrame(decodeUrl, frame.array());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(problemType(response)).endsWith("/problems/invalid-handover");
        assertThat(response.body()).contains("2147483632 bytes of state");
    }

    @Test
    @Order(4)
    void oversizedFrameIsInvalidHandover() throws Exception {
        byte[] body = new byte[(int) MAX_FRAME_BYTES + 1];
        System.arraycopy("MLHO".getBytes(StandardCharsets.US_ASCII), 0, body, 0, 4);

        HttpResponse<String> response = postFrame(decodeUrl, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(problemType(response)).endsWith("/problems/invalid-handover");
        assertThat(response.body()).contains("detox.split.max-frame-size");
    }

    @Test
    @Order(5)
    void handoverTimeoutLabelsFallback() throws Exception {
        HttpResponse<String> reference = send(post(decodeUrl, "/v1/split/generations", REQUEST));
        HttpResponse<String> response = send(post(impatientUrl, "/v1/split/generations", REQUEST));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(response.body());
        assertThat(result.get("decodedBy").asString()).isEqualTo("local");
        assertThat(result.get("tokens")).isEqualTo(JSON.readTree(reference.body()).get("tokens"));
        assertThat(counter(impatient, "detox.split.handover.failures", "reason", "timeout")).isEqualTo(1);
        assertThat(counter(impatient, "detox.split.handover.failures", "reason", "unreachable")).isZero();
    }

    @Test
    @Order(6)
    void deletedDecodeSessionStops() throws Exception {
        Generator generator = decode.getBean(Generator.class);
        SequenceStateCodec codec = decode.getBean(SequenceStateCodec.class);
        SplitModel model = decode.getBean(SplitModel.class);
        int[] prompt = model.languageModel().tokenizer().encode("You are such a", true);
        SamplingSettings settings = SamplingSettings.builder().maxTokens(250).temperature(0.9f).seed(5).build();
        byte[] state;
        try (SequenceState prefilled = generator.prefill(new PrefillRequest(prompt, settings, model.hooks((dev.mlsuite.detox.generation.Steering) null),
                TokenListener.NONE))) {
            state = codec.serialize(prefilled);
        }
        HandoverFrame frame = new HandoverFrame("session-to-delete", 1, model.modelDigest(), null, state);

        HttpResponse<Stream<String>> response = HTTP.send(HttpRequest.newBuilder(
                        decodeUrl.resolve("/internal/v1/decode-sessions"))
                .header("Content-Type", HandoverFrame.MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(frame.encode())).build(),
                HttpResponse.BodyHandlers.ofLines());
        Iterator<String> lines = response.body().iterator();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(lines.next()).get("type").asString()).isEqualTo("token");

        HttpRequest delete = HttpRequest.newBuilder(
                decodeUrl.resolve("/internal/v1/decode-sessions/session-to-delete")).DELETE().build();
        assertThat(send(delete).statusCode()).isEqualTo(204);
        JsonNode last = null;
        int tokens = 1;
        while (lines.hasNext()) {
            last = JSON.readTree(lines.next());
            if (last.get("type").asString().equals("token")) {
                tokens++;
            }
        }

        assertThat(last).isNotNull();
        assertThat(last.get("type").asString()).isEqualTo("finish");
        assertThat(last.get("finishReason").asString()).isEqualTo("CANCELLED");
        assertThat(tokens).isLessThan(249);
        assertThat(send(delete).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(7)
    void failureAfterFirstTokenErrorsStream() throws Exception {
        HttpResponse<Stream<String>> response = HTTP.send(post(localUrl, "/v1/generations/stream", LONG_REQUEST),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);

        List<Event> events = new ArrayList<>();
        String name = null;
        for (Iterator<String> it = response.body().iterator(); it.hasNext(); ) {
            String line = it.next();
            if (line.startsWith("event:")) {
                name = line.substring("event:".length()).strip();
            } else if (line.startsWith("data:")) {
                events.add(new Event(name, JSON.readTree(line.substring("data:".length()))));
                if (events.size() == 1) {
                    // The decode loop stops, as at shutdown, and fails the sequence after its first token.
                    local.getBean(ContinuousBatcher.class).close();
                }
            }
        }

        assertThat(events.get(0).name()).isEqualTo("token");
        Event last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("error");
        assertThat(last.data().get("type").asString()).endsWith("/problems/generation-failed");
        assertThat(last.data().get("status").asInt()).isEqualTo(500);
        assertThat(last.data().get("detail").asString()).isNotBlank();
        assertThat(events).noneMatch(event -> "done".equals(event.name()));
    }
}
