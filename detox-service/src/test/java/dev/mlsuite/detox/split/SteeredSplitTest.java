package dev.mlsuite.detox.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlsuite.detox.DetoxServiceApplication;
import dev.mlsuite.detox.api.DetoxProperties;
import dev.mlsuite.detox.generation.DetoxModels;
import dev.mlsuite.detox.generation.SteeringHook;
import dev.mlsuite.inference.generation.GenerationResult;
import dev.mlsuite.inference.generation.SamplingSettings;
import dev.mlsuite.inference.generation.TokenListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Steered generation with the service's default model and SAE through every role. Each instance is a
 * real Spring context on its own random port in this JVM. The instances are an in-process split
 * instance, a decode instance, a decode instance whose SAE differs in one weight, and a prefill instance.
 * The prefill instance hands over to the mismatched instance first and then to the decode instance. The reference is the sequential
 * generator with the same steering hook, outside any batcher.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SteeredSplitTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PROMPT = "You are such a";
    private static final int MAX_TOKENS = 40;
    private static final float TEMPERATURE = 0.9f;
    private static final long SEED = 11;
    private static final String STEERED_REQUEST = "{\"prompt\":\"" + PROMPT + "\",\"maxTokens\":" + MAX_TOKENS
            + ",\"temperature\":" + TEMPERATURE + ",\"seed\":" + SEED + ",\"steering\":{\"tier\":\"high\"}}";
    private static final String LONG_STEERED_REQUEST = "{\"prompt\":\"" + PROMPT
            + "\",\"maxTokens\":200,\"temperature\":0.7,\"seed\":5,\"steering\":{\"strength\":3,"
            + "\"scaleByActivation\":false}}";

    @TempDir
    static Path otherSaeFolder;

    private static ConfigurableApplicationContext inProcess;
    private static ConfigurableApplicationContext mismatched;
    private static ConfigurableApplicationContext decode;
    private static ConfigurableApplicationContext prefill;
    private static URI inProcessUrl;
    private static URI mismatchedUrl;
    private static URI decodeUrl;
    private static URI prefillUrl;

    @BeforeAll
    static void startInstances() throws IOException {
        copyWithOneWeightChanged(Path.of("../models/detox/sae"), otherSaeFolder);
        inProcess = start("IN_PROCESS_SPLIT", "", "../models/detox/sae");
        inProcessUrl = baseUrl(inProcess);
        mismatched = start("DECODE", "", otherSaeFolder.toString());
        mismatchedUrl = baseUrl(mismatched);
        decode = start("DECODE", "", "../models/detox/sae");
        decodeUrl = baseUrl(decode);
        prefill = start("PREFILL", mismatchedUrl + "," + decodeUrl, "../models/detox/sae");
        prefillUrl = baseUrl(prefill);
    }

    @AfterAll
    static void stopInstances() {
        for (ConfigurableApplicationContext context : Arrays.asList(prefill, decode, mismatched, inProcess)) {
            if (context != null && context.isActive()) {
                context.close();
            }
        }
    }

    /** Copies an SAE folder and changes the lowest mantissa byte of the last weight, so that only its digest differs. */
    private static void copyWithOneWeightChanged(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        Path weights = target.resolve("sae_weights.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 4] ^= 1;
        Files.write(weights, bytes);
    }

    private static ConfigurableApplicationContext start(String role, String decodeInstances, String saeFolder) {
        return new SpringApplicationBuilder(DetoxServiceApplication.class).run(
                "--server.port=0",
                "--server.shutdown=immediate",
                "--detox.language-model=../models/detox/lm",
                "--detox.sae=" + saeFolder,
                "--detox.scorer=../models/detox/scorer",
                "--detox.split.enabled=true",
                "--detox.split.role=" + role,
                "--detox.split.decode-instances=" + decodeInstances,
                "--detox.split.handover-timeout=2s",
                "--detox.split.token-timeout=5s",
                "--inference.device=cpu",
                "--inference.intra-op-threads=1");
    }

    private static URI baseUrl(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return URI.create("http://127.0.0.1:" + port);
    }

    private static JsonNode post(URI instance, String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(instance.resolve(path))
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

    /** Generates with the sequential generator, outside any batcher, and the steering hook of {@code strength}. */
    private static List<Integer> sequentialReference(float strength) {
        DetoxModels models = inProcess.getBean(DetoxModels.class);
        boolean scaleByActivation = inProcess.getBean(DetoxProperties.class).scaleByActivation();
        SamplingSettings settings = SamplingSettings.builder().maxTokens(MAX_TOKENS).temperature(TEMPERATURE)
                .topP(1f).topK(0).seed(SEED).build();
        SteeringHook hook = new SteeringHook(models.sae(), models.features().ids(), strength, scaleByActivation);
        GenerationResult result = models.languageModel().generator().generate(PROMPT, settings, hook.hooks(),
                TokenListener.NONE);
        return Arrays.stream(result.tokens()).boxed().toList();
    }

    private static double counter(ConfigurableApplicationContext context, String name, String... tags) {
        var counter = context.getBean(MeterRegistry.class).find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    @Order(1)
    void steeredSplitMatchesSequentialTokens() throws Exception {
        List<Integer> reference = sequentialReference(DetoxProperties.DEFAULT_TIERS.get("high"));
        List<Integer> unsteered = sequentialReference(0f);
        assertThat(reference).as("steering at tier high changes the tokens").isNotEqualTo(unsteered);

        JsonNode monolithic = post(decodeUrl, "/v1/generations", STEERED_REQUEST);
        JsonNode inProcessSplit = post(inProcessUrl, "/v1/generations", STEERED_REQUEST);
        JsonNode handedOver = post(prefillUrl, "/v1/generations", STEERED_REQUEST);
        JsonNode splitEndpoint = post(prefillUrl, "/v1/split/generations", STEERED_REQUEST);

        assertThat(tokens(monolithic)).containsExactlyElementsOf(reference);
        assertThat(tokens(inProcessSplit)).containsExactlyElementsOf(reference);
        assertThat(tokens(handedOver)).containsExactlyElementsOf(reference);
        assertThat(tokens(splitEndpoint)).containsExactlyElementsOf(reference);
        assertThat(handedOver.get("text").asString()).isEqualTo(monolithic.get("text").asString());
        assertThat(handedOver.get("toxicity").asDouble()).isEqualTo(monolithic.get("toxicity").asDouble());
        assertThat(handedOver.get("steering").get("tier").asString()).isEqualTo("high");
        assertThat(monolithic.get("decodedBy").asString()).isEqualTo("local");
        assertThat(inProcessSplit.get("decodedBy").asString()).isEqualTo("local");
        assertThat(handedOver.get("decodedBy").asString()).isEqualTo(decodeUrl.toString());
        assertThat(splitEndpoint.get("decodedBy").asString()).isEqualTo(decodeUrl.toString());
        assertThat(splitEndpoint.get("steering").get("strength").asDouble()).isEqualTo(2.0);
    }

    @Test
    @Order(2)
    void mismatchedSaeRejectsHandover() {
        assertThat(counter(mismatched, "detox.split.decode.sessions")).isZero();
        assertThat(counter(decode, "detox.split.decode.sessions")).isEqualTo(2);
        assertThat(counter(prefill, "detox.split.handover.failures", "reason", "rejected")).isEqualTo(2);
    }

    @Test
    @Order(3)
    void steeredFallbackAfterKilledDecode() throws Exception {
        JsonNode reference = post(inProcessUrl, "/v1/generations", LONG_STEERED_REQUEST);
        assertThat(tokens(reference)).hasSizeGreaterThan(30);

        HttpResponse<Stream<String>> response = HTTP.send(HttpRequest.newBuilder(
                        prefillUrl.resolve("/v1/generations/stream"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(LONG_STEERED_REQUEST)).build(),
                HttpResponse.BodyHandlers.ofLines());
        List<Integer> streamed = new ArrayList<>();
        JsonNode done = null;
        String event = null;
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (line.startsWith("event:")) {
                event = line.substring("event:".length()).strip();
                continue;
            }
            if (!line.startsWith("data:")) {
                continue;
            }
            JsonNode data = JSON.readTree(line.substring("data:".length()));
            if ("done".equals(event)) {
                done = data;
                break;
            }
            if (data.get("token").asInt() >= 0) {
                streamed.add(data.get("token").asInt());
            }
            if (streamed.size() == 10) {
                decode.close();
            }
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(done).as("done event").isNotNull();
        assertThat(streamed).containsExactlyElementsOf(tokens(reference));
        assertThat(tokens(done)).containsExactlyElementsOf(tokens(reference));
        assertThat(done.get("text").asString()).isEqualTo(reference.get("text").asString());
        assertThat(done.get("decodedBy").asString()).isEqualTo("local");
        assertThat(counter(prefill, "detox.split.handover.local")).isEqualTo(1);
    }

    @Test
    @Order(4)
    void mismatchedSaeFallsBackLocally() throws Exception {
        JsonNode result = post(prefillUrl, "/v1/generations", STEERED_REQUEST);

        assertThat(tokens(result)).containsExactlyElementsOf(
                sequentialReference(DetoxProperties.DEFAULT_TIERS.get("high")));
        assertThat(result.get("decodedBy").asString()).isEqualTo("local");
        assertThat(counter(mismatched, "detox.split.decode.sessions")).isZero();
        assertThat(counter(prefill, "detox.split.handover.local")).isEqualTo(2);
    }

    @Test
    @Order(5)
    void handoverFromOtherModelIsRejected() throws Exception {
        HandoverFrame frame = new HandoverFrame("other-model", 1, "0".repeat(64), null, new byte[] {1});
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        mismatchedUrl.resolve("/internal/v1/decode-sessions"))
                .header("Content-Type", HandoverFrame.MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(frame.encode())).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(409);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asString()).endsWith("/problems/handover-model-mismatch");
        assertThat(problem.get("detail").asString()).contains("0".repeat(64));
    }
}
