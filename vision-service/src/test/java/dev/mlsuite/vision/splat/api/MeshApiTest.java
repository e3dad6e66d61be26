package dev.mlsuite.vision.splat.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Submits splat files to the running vision service over HTTP and follows the mesh jobs. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MeshApiTest {

    private static final Path DONUT = Path.of("../samples/splats/donut/point_cloud.ply");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String BOUNDARY = "mesh-api-test-boundary";

    private static Path artifacts;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        artifacts = Files.createTempDirectory("mesh-api-test");
        registry.add("suite.jobs.artifact-directory", artifacts::toString);
        registry.add("vision.meshes.max-gaussians", () -> "50000");
        registry.add("vision.meshes.threads", () -> "2");
    }

    @Test
    void donutUploadYieldsMeshFiles() throws Exception {
        HttpResponse<String> submitted = post(DONUT.getFileName().toString(), Files.readAllBytes(DONUT),
                "views", "8", "imageWidth", "192", "imageHeight", "144", "voxelResolution", "48");

        assertThat(submitted.statusCode()).isEqualTo(202);
        String location = submitted.headers().firstValue("Location").orElseThrow();
        assertThat(location).contains("/v1/meshes/");
        JsonNode finished = awaitFinal(location, Duration.ofSeconds(240));
        assertThat(finished.path("status").asString()).as(finished.toString()).isEqualTo("SUCCEEDED");
        assertThat(finished.path("progress").asDouble()).isEqualTo(1.0);
        assertThat(finished.path("stages").path("stereo").asDouble()).isEqualTo(1.0);
        assertThat(finished.path("summary").path("gaussians").asInt()).isEqualTo(45_624);
        assertThat(finished.path("summary").path("faces").asInt()).isGreaterThan(1_000);
        assertThat(finished.path("summary").path("stageMillis").has("render")).isTrue();

        HttpResponse<byte[]> ply = getBytes(finished.path("links").path("mesh.ply").asString());
        assertThat(ply.statusCode()).isEqualTo(200);
        assertThat(new String(Arrays.copyOf(ply.body(), 40), StandardCharsets.US_ASCII))
                .startsWith("ply\nformat binary_little_endian 1.0");
        HttpResponse<byte[]> obj = getBytes(finished.path("links").path("mesh.obj").asString());
        assertThat(obj.headers().firstValue("Content-Type")).hasValue("model/obj");
        assertThat(new String(obj.body(), StandardCharsets.US_ASCII)).contains("\nv ", "\nf ");
        HttpResponse<byte[]> preview = getBytes(finished.path("links").path("mesh.png").asString());
        assertThat(Arrays.copyOfRange(preview.body(), 1, 4)).isEqualTo("PNG".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void nonPlyUploadIsProblemDetail() throws Exception {
        HttpResponse<String> response = post("notes.txt", "hello, not a splat".getBytes(StandardCharsets.US_ASCII));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("/problems/not-a-ply", "must start with the line 'ply'");
    }

    @Test
    void truncatedUploadIsProblemDetail() throws Exception {
        byte[] donut = Files.readAllBytes(DONUT);

        HttpResponse<String> response = post("cut.ply", Arrays.copyOf(donut, donut.length / 2));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("/problems/truncated-file", "45624 Gaussians");
    }

    @Test
    void tooManyGaussiansIsRejected() throws Exception {
        byte[] header = ("ply\nformat binary_little_endian 1.0\nelement vertex 60000\nproperty float x\n"
                + "end_header\n").getBytes(StandardCharsets.US_ASCII);

        HttpResponse<String> response = post("big.ply", header);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("/problems/too-many-gaussians", "limit of 50000");
    }

    @Test
    void invalidParameterIsRejected() throws Exception {
        HttpResponse<String> response = post("point_cloud.ply", Files.readAllBytes(DONUT), "depth", "lidar");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("/problems/invalid-parameter", "lidar");
    }

    @Test
    void cancelledJobProducesNoMesh() throws Exception {
        HttpResponse<String> submitted = post("point_cloud.ply", Files.readAllBytes(DONUT), "views", "40");
        String location = submitted.headers().firstValue("Location").orElseThrow();
        Path jobDirectory = artifacts.resolve(location.substring(location.lastIndexOf('/') + 1));
        assertThat(jobDirectory.resolve("input").resolve("splat.ply")).exists();

        HttpResponse<String> cancelled = HTTP.send(HttpRequest.newBuilder(URI.create(location)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).path("status").asString()).isEqualTo("CANCELLED");
        Thread.sleep(1500);
        JsonNode later = JSON.readTree(getString(location).body());
        assertThat(later.path("status").asString()).isEqualTo("CANCELLED");
        assertThat(later.path("links").has("mesh.ply")).isFalse();
        assertThat(jobDirectory).as("the job's upload and partial files").doesNotExist();
    }

    @Test
    void unknownMeshJobIsNotFound() throws Exception {
        HttpResponse<String> response = getString("http://127.0.0.1:" + port + "/v1/meshes/" + UUID.randomUUID());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("/problems/mesh-job-not-found");
    }

    private HttpResponse<String> post(String fileName, byte[] splat, String... fields) throws Exception {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"splat\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(splat);
        body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int k = 0; k + 1 < fields.length; k += 2) {
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + fields[k] + "\"\r\n\r\n"
                    + fields[k + 1] + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/meshes"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode awaitFinal(String location, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode job = JSON.readTree(getString(location).body());
        while (Instant.now().isBefore(deadline)) {
            String status = job.path("status").asString();
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                return job;
            }
            Thread.sleep(500);
            job = JSON.readTree(getString(location).body());
        }
        return job;
    }

    private static HttpResponse<String> getString(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> getBytes(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
