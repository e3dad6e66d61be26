package dev.mlsuite.vision.action.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.mlsuite.inference.clip.RandomClipCheckpoint;
import dev.mlsuite.vision.action.LabelVocabulary;
import dev.mlsuite.vision.action.SampleVideos;

/** The action-detection API with a small random CLIP checkpoint in the configured folder. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ActionDetectionClipApiTest {

    private static final List<String> REQUEST_LABELS = List.of("arm wrestling", "shaking hands", "drinking beer");

    @TempDir
    static Path folder;

    @DynamicPropertySource
    static void mountCheckpoint(DynamicPropertyRegistry registry) {
        Path checkpoint = folder.resolve("clip");
        List<String> words = new ArrayList<>(new LabelVocabulary(1000, 200).kinetics400());
        words.addAll(REQUEST_LABELS);
        words.add("a photo of a person");
        try {
            RandomClipCheckpoint.tiny().write(checkpoint, words, 42);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("suite.jobs.artifact-directory", () -> folder.resolve("jobs").toString());
        registry.add("vision.action.clip.checkpoint-dir", checkpoint::toString);
        // HOG also yields tubes on this clip and runs about three times faster than the face cascades.
        registry.add("vision.action.detector.type", () -> "hog");
    }

    @LocalServerPort
    int port;

    private final JsonMapper json = JsonMapper.builder().build();
    private RestClient client;

    @BeforeEach
    void createClient() {
        client = RestClient.builder().baseUrl("http://127.0.0.1:" + port).build();
    }

    @Test
    void requestLabelsAreScoredPerTube() throws Exception {
        JsonNode result = detect(String.join("\n", REQUEST_LABELS));

        assertThat(result.path("labelSource").asString()).isEqualTo("request");
        assertThat(result.path("tubes").size()).isGreaterThan(0);
        for (JsonNode tube : result.path("tubes")) {
            JsonNode actions = tube.path("actions");
            assertThat(actions.size()).isEqualTo(3);
            Set<String> labels = new HashSet<>();
            double previous = Double.POSITIVE_INFINITY;
            for (JsonNode action : actions) {
                labels.add(action.path("label").asString());
                double score = action.path("score").asDouble();
                assertThat(score).isBetween(-1.0, 1.0);
                assertThat(score).isLessThanOrEqualTo(previous);
                previous = score;
            }
            assertThat(labels).containsExactlyInAnyOrderElementsOf(REQUEST_LABELS);
        }

        JsonNode capabilities = result.path("capabilities");
        assertThat(capabilities.path("actionScoring").path("active").asBoolean()).isTrue();
        assertThat(capabilities.path("actionScoring").path("detail").asString()).contains("untrained");
        JsonNode components = capabilities.path("actionScoringComponents");
        assertThat(components.path("clipEncoders").path("active").asBoolean()).isTrue();
        assertThat(components.path("personTokens").path("active").asBoolean()).isTrue();
        assertThat(components.path("personContextInteraction").path("active").asBoolean()).isFalse();
        assertThat(components.path("interestTokenSpotting").path("active").asBoolean()).isFalse();
        assertThat(components.path("contextPrompting").path("active").asBoolean()).isFalse();
    }

    @Test
    void kineticsLabelsAreScoredWithoutRequestLabels() throws Exception {
        JsonNode result = detect(null);

        assertThat(result.path("labelSource").asString()).isEqualTo("kinetics-400");
        assertThat(result.path("tubes").size()).isGreaterThan(0);
        JsonNode actions = result.path("tubes").get(0).path("actions");
        assertThat(actions.size()).isEqualTo(400);
        assertThat(actions.get(0).path("score").asDouble())
                .isGreaterThan(actions.get(399).path("score").asDouble());
    }

    private JsonNode detect(String labels) throws Exception {
        MultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
        body.add("video", new FileSystemResource(SampleVideos.avaClip()));
        if (labels != null) {
            body.add("labels", labels);
        }
        body.add("sampleFps", "2");
        body.add("previewFrames", "2");

        String location = client.post().uri("/v1/action-detections").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(body).retrieve().toBodilessEntity().getHeaders().getLocation().toString();
        JsonNode job = awaitFinished(location);
        assertThat(job.path("status").asString()).isEqualTo("SUCCEEDED");
        String jobId = job.path("id").asString();
        return json.readTree(client.get().uri("/v1/action-detections/" + jobId).retrieve().body(String.class));
    }

    private JsonNode awaitFinished(String location) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            JsonNode job = json.readTree(client.get().uri(location).retrieve().body(String.class));
            String status = job.path("status").asString();
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                return job;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Job at " + location + " did not finish within 3 minutes");
    }
}
