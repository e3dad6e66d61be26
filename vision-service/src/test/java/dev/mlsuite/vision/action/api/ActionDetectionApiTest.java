package dev.mlsuite.vision.action.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.mlsuite.vision.action.Detection;
import dev.mlsuite.vision.action.SampleVideos;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ActionDetectionApiTest {

    @TempDir
    static Path jobFolder;

    @DynamicPropertySource
    static void jobFolder(DynamicPropertyRegistry registry) {
        registry.add("suite.jobs.artifact-directory", () -> jobFolder.toString());
        registry.add("vision.action.clip.checkpoint-dir", () -> jobFolder.resolve("no-clip").toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private final JsonMapper json = JsonMapper.builder().build();
    private RestClient client;

    @BeforeEach
    void createClient() {
        client = RestClient.builder().baseUrl("http://127.0.0.1:" + port).build();
    }

    @Test
    void avaClipYieldsTubesAndPreview() throws Exception {
        MultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
        body.add("video", new FileSystemResource(SampleVideos.avaClip()));
        body.add("labels", "arm wrestling\nshaking hands");
        body.add("labels", "drinking, eating");
        body.add("sampleFps", "2");
        body.add("previewFrames", "4");

        Response submitted = post(body);

        assertThat(submitted.status()).isEqualTo(202);
        String location = submitted.headers().getLocation().toString();
        assertThat(location).contains("/v1/jobs/");
        JsonNode job = awaitFinished(location);
        assertThat(job.path("status").asString()).isEqualTo("SUCCEEDED");
        String jobId = job.path("id").asString();

        JsonNode result = json.readTree(get("/v1/action-detections/" + jobId).body());
        assertThat(result.path("sampledFrames").asInt()).isEqualTo(19);
        assertThat(result.path("video").path("width").asInt()).isEqualTo(340);
        assertThat(result.path("labelSource").asString()).isEqualTo("request");
        assertThat(result.path("labelCount").asInt()).isEqualTo(3);
        assertThat(result.path("requestedSampleFps").asDouble()).isEqualTo(2.0);
        assertThat(result.path("sampleFps").asDouble()).isEqualTo(2.0);
        assertThat(result.path("decodedFrames").asInt()).isEqualTo(57);
        assertThat(result.path("expectedFrames").asInt()).isEqualTo(57);
        assertThat(result.path("lastDecodedSeconds").asDouble()).isEqualTo(9.333);
        assertThat(result.path("warnings").isArray()).isTrue();
        assertThat(result.path("warnings").size()).isZero();
        assertThat(result.path("tubes").size()).isGreaterThan(0);
        for (JsonNode tube : result.path("tubes")) {
            assertThat(tube.path("trackId").asInt()).isPositive();
            assertThat(tube.path("actions").size()).isZero();
            JsonNode box = tube.path("boxes").get(0);
            assertThat(box.has("frame")).isTrue();
            assertThat(box.has("timeSeconds")).isTrue();
            assertThat(box.path("w").asDouble()).isPositive();
            assertThat(box.path("h").asDouble()).isPositive();
            assertThat(box.has("score")).isTrue();
        }
        // The evaluation of the default settings covers A on 9 and B on 6 of their 9 keyframes.
        assertThat(keyframesCoveredByOneTube(result.path("tubes"), "A")).isGreaterThanOrEqualTo(7);
        assertThat(keyframesCoveredByOneTube(result.path("tubes"), "B")).isGreaterThanOrEqualTo(4);
        JsonNode scoring = result.path("capabilities").path("actionScoring");
        assertThat(scoring.path("active").asBoolean()).isFalse();
        assertThat(scoring.path("detail").asString()).contains("No CLIP checkpoint");
        assertThat(result.path("capabilities").path("personDetection").path("active").asBoolean()).isTrue();

        Response preview = getBytes("/v1/jobs/" + jobId + "/artifacts/preview.png");
        assertThat(preview.status()).isEqualTo(200);
        assertThat(preview.bytes()).startsWith(0x89, 'P', 'N', 'G');

        Integer recorded = jdbc.queryForObject(
                "SELECT tube_count FROM action_detection_runs WHERE job_id = ?", Integer.class, UUID.fromString(jobId));
        assertThat(recorded).isEqualTo(result.path("tubes").size());
    }

    /**
     * Counts the annotated keyframes of {@code person} in {@code ava_clip.persons.json} on which the
     * tube that covers the person most often has a box overlapping the hand-drawn box by IoU 0.5 or more.
     */
    private int keyframesCoveredByOneTube(JsonNode tubes, String person) throws IOException {
        JsonNode annotations = json.readTree(Files.readString(
                SampleVideos.avaClip().resolveSibling("ava_clip.persons.json")));
        Map<Integer, Integer> coveredKeyframesByTube = new HashMap<>();
        for (JsonNode keyframe : annotations.path("frames")) {
            for (JsonNode annotated : keyframe.path("persons")) {
                if (!annotated.path("id").asString().equals(person)) {
                    continue;
                }
                Detection truth = new Detection(annotated.path("x").asDouble(), annotated.path("y").asDouble(),
                        annotated.path("w").asDouble(), annotated.path("h").asDouble(), 1);
                for (JsonNode tube : tubes) {
                    boolean covers = false;
                    for (JsonNode box : tube.path("boxes")) {
                        Detection detected = new Detection(box.path("x").asDouble(), box.path("y").asDouble(),
                                box.path("w").asDouble(), box.path("h").asDouble(), 1);
                        covers |= box.path("frame").asInt() == keyframe.path("frame").asInt()
                                && detected.iou(truth) >= 0.5;
                    }
                    if (covers) {
                        coveredKeyframesByTube.merge(tube.path("trackId").asInt(), 1, Integer::sum);
                    }
                }
            }
        }
        return coveredKeyframesByTube.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    @Test
    void runningJobStopsWhenCancelled() throws Exception {
        MultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
        body.add("video", new FileSystemResource(SampleVideos.avaClip()));
        body.add("sampleFps", "6");
        Response submitted = post(body);
        String location = submitted.headers().getLocation().toString();
        String jobId = json.readTree(submitted.body()).path("id").asString();
        awaitStatus(location, "RUNNING");

        Response cancelled = client.delete().uri(location).exchange((request, response) -> new Response(
                response.getStatusCode().value(), response.getHeaders(),
                new String(response.getBody().readAllBytes()), null));

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(json.readTree(cancelled.body()).path("status").asString()).isEqualTo("CANCELLED");

        // An uncancelled run of all 57 frames with the NanoDet detector takes about 20 s on a 2-core VM
        // (estimated from the evaluation's 0.3 s per frame);
        // after 50 s it would have written its result.
        Thread.sleep(50_000);
        JsonNode job = json.readTree(get(location).body());
        assertThat(job.path("status").asString()).isEqualTo("CANCELLED");
        assertThat(job.path("artifacts").size()).isZero();
        assertThat(get("/v1/action-detections/" + jobId).status()).isEqualTo(409);
        Integer recorded = jdbc.queryForObject("SELECT count(*) FROM action_detection_runs WHERE job_id = ?",
                Integer.class, UUID.fromString(jobId));
        assertThat(recorded).isZero();
    }

    @Test
    void cutClipSucceedsWithWarning() throws Exception {
        byte[] firstHalf = Files.readAllBytes(
                SampleVideos.avaClipFastStartCut(Files.createTempDirectory(jobFolder, "cut"), 0.5));
        MultiValueMap<String, Object> body = videoPart(firstHalf, "half.mp4");
        body.add("sampleFps", "10");

        Response submitted = post(body);
        JsonNode job = awaitFinished(submitted.headers().getLocation().toString());

        assertThat(job.path("status").asString()).isEqualTo("SUCCEEDED");
        JsonNode result = json.readTree(get("/v1/action-detections/" + job.path("id").asString()).body());
        assertThat(result.path("video").path("durationSeconds").asDouble()).isEqualTo(9.5);
        assertThat(result.path("expectedFrames").asInt()).isEqualTo(57);
        assertThat(result.path("decodedFrames").asInt()).isPositive().isLessThan(40);
        assertThat(result.path("lastDecodedSeconds").asDouble()).isPositive().isLessThan(7.0);
        assertThat(result.path("warnings").toString()).contains("truncated or damaged").contains("of the 57 frames");
        // The clip has 6 frames per second, so a request for 10 samples every frame.
        assertThat(result.path("requestedSampleFps").asDouble()).isEqualTo(10.0);
        assertThat(result.path("sampleFps").asDouble()).isEqualTo(6.0);
        assertThat(result.path("sampledFrames").asInt()).isEqualTo(result.path("decodedFrames").asInt());
    }

    @Test
    void mp4WithoutIndexIsReportedAsTruncated() throws IOException {
        byte[] clip = Files.readAllBytes(SampleVideos.avaClip());
        byte[] firstHalf = java.util.Arrays.copyOf(clip, clip.length / 2);

        Response response = post(videoPart(firstHalf, "half.mp4"));

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.body()).contains("/problems/unsupported-video").contains("MP4/MOV")
                .contains("truncated or damaged").contains("half.mp4");
        assertThat(response.body()).doesNotContain("such as MP4 with H.264");
    }

    @Test
    void randomBytesAreUnsupportedMediaType() {
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);

        Response response = post(videoPart(noise, "noise.mp4"));

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.headers().getContentType().toString()).startsWith("application/problem+json");
        assertThat(response.body()).contains("/problems/unsupported-video").contains("noise.mp4");
    }

    @Test
    void jpegImageIsUnsupportedMediaType() throws IOException {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR), "jpg", jpeg);

        Response response = post(videoPart(jpeg.toByteArray(), "photo.jpg"));

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.body()).contains("/problems/unsupported-video").contains("still image")
                .contains("video container");
    }

    @Test
    void undecodableVideoIsBadRequest() throws IOException {
        byte[] zeroed = Files.readAllBytes(SampleVideos.avaClipWithZeroedFrames(Files.createTempDirectory(jobFolder, "zeroed")));

        Response response = post(videoPart(zeroed, "zeroed.mp4"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("/problems/corrupt-video");
    }

    @Test
    void sampleRateAboveLimitIsBadRequest() {
        MultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
        body.add("video", new FileSystemResource(SampleVideos.avaClip()));
        body.add("sampleFps", "50");

        Response response = post(body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("/problems/invalid-parameter").contains("50");
    }

    @Test
    void blankLabelsFieldIsBadRequest() {
        MultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
        body.add("video", new FileSystemResource(SampleVideos.avaClip()));
        body.add("labels", "  \n ");

        Response response = post(body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("/problems/invalid-label").contains("contains no label");
    }

    @Test
    void labelWithControlCharacterIsBadRequest() {
        MultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
        body.add("video", new FileSystemResource(SampleVideos.avaClip()));
        body.add("labels", "arm\u0007wrestling");

        Response response = post(body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("/problems/invalid-label").contains("control character")
                .contains("arm\\\\u0007wrestling");
    }

    @Test
    void unknownFieldIsBadRequest() {
        MultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
        body.add("video", new FileSystemResource(SampleVideos.avaClip()));
        body.add("bogus", "1");

        Response response = post(body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("/problems/unknown-field").contains("bogus")
                .contains("video, labels, sampleFps, previewFrames");
    }

    @Test
    void nonNumericSampleRateNamesFieldAndValue() {
        MultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
        body.add("video", new FileSystemResource(SampleVideos.avaClip()));
        body.add("sampleFps", "abc");

        Response response = post(body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("/problems/invalid-parameter").contains("\"field\":\"sampleFps\"")
                .contains("\"value\":\"abc\"").contains("a number");
    }

    @Test
    void missingVideoIsBadRequest() {
        MultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
        body.add("labels", "running");

        Response response = post(body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("video");
    }

    @Test
    void readinessListsCapabilities() throws Exception {
        Response readiness = get("/actuator/health/readiness");
        JsonNode health = json.readTree(readiness.body());

        assertThat(readiness.status()).isEqualTo(200);

        JsonNode capabilities = health.path("components").path("actionDetection").path("details").path("capabilities");
        assertThat(capabilities.path("decoding").path("active").asBoolean()).isTrue();
        assertThat(capabilities.path("actionScoring").path("active").asBoolean()).isFalse();
    }

    private static MultiValueMap<String, Object> videoPart(byte[] bytes, String name) {
        MultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
        body.add("video", new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return name;
            }
        });
        return body;
    }

    private JsonNode awaitFinished(String location) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            JsonNode job = json.readTree(get(location).body());
            String status = job.path("status").asString();
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                return job;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Job at " + location + " did not finish within 3 minutes");
    }

    private void awaitStatus(String location, String expected) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            String status = json.readTree(get(location).body()).path("status").asString();
            if (status.equals(expected)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Job at " + location + " did not reach status " + expected + " within 30 s");
    }

    private Response post(MultiValueMap<String, ?> body) {
        return client.post().uri("/v1/action-detections").contentType(MediaType.MULTIPART_FORM_DATA).body(body)
                .exchange((request, response) -> new Response(response.getStatusCode().value(), response.getHeaders(),
                        new String(response.getBody().readAllBytes()), null));
    }

    private Response get(String uri) {
        return client.get().uri(uri).exchange((request, response) -> new Response(response.getStatusCode().value(),
                response.getHeaders(), new String(response.getBody().readAllBytes()), null));
    }

    private Response getBytes(String uri) {
        return client.get().uri(uri).exchange((request, response) -> new Response(response.getStatusCode().value(),
                response.getHeaders(), null, response.getBody().readAllBytes()));
    }

    private record Response(int status, HttpHeaders headers, String body, byte[] bytes) {
    }
}
