package dev.mlsuite.vision.tokens.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "vision.image-tokens.max-input-pixels=500000",
        "vision.image-tokens.max-upload-size=300KB",
        "vision.image-tokens.refinement-time-limit=10m"})
class ImageTokenApiTest {

    private static final Path RECEIPT = Path.of("..", "samples", "images", "sroie-019.jpg");

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
    void receiptBecomesGaussianTokens() throws IOException {
        Response created = post(Files.readAllBytes(RECEIPT), "receipt.jpg", "256", "10");

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode body = json.readTree(created.text());
        String id = body.path("id").asString();
        assertThat(created.headers().getLocation()).hasToString("http://127.0.0.1:" + port + "/v1/image-tokens/" + id);
        assertThat(body.path("originalWidth").asInt()).isEqualTo(447);
        assertThat(body.path("originalHeight").asInt()).isEqualTo(915);
        assertThat(body.path("width").asInt()).isEqualTo(63);
        assertThat(body.path("height").asInt()).isEqualTo(128);
        assertThat(body.path("tokenCount").asInt()).isEqualTo(256);
        assertThat(body.path("refinement").path("stepsRun").asInt()).isEqualTo(10);
        assertThat(body.path("refinement").path("finalLoss").asDouble())
                .isLessThan(body.path("refinement").path("initialLoss").asDouble());
        assertThat(body.path("psnr").asDouble()).isGreaterThan(body.path("initialPsnr").asDouble());
        assertThat(body.path("ssim").asDouble()).isBetween(0.0, 1.0);
        assertThat(body.path("timings").path("totalMillis").asLong()).isPositive();

        JsonNode tokens = body.path("tokens");
        assertThat(tokens.size()).isEqualTo(256);
        for (JsonNode token : tokens) {
            assertThat(token.path("muX").asDouble()).isBetween(-10.0, 73.0);
            assertThat(token.path("muY").asDouble()).isBetween(-10.0, 138.0);
            assertThat(token.path("sigmaX").asDouble()).isPositive();
            assertThat(token.path("sigmaY").asDouble()).isPositive();
            assertThat(token.path("rho").asDouble()).isBetween(-1.0, 1.0);
            assertThat(token.path("features").size()).isEqualTo(9);
        }

        BufferedImage reconstruction = png(getBytes(body.path("links").path("reconstruction").asString()));
        assertThat(reconstruction.getWidth()).isEqualTo(63);
        assertThat(reconstruction.getHeight()).isEqualTo(128);
        BufferedImage overlay = png(getBytes(body.path("links").path("overlay").asString()));
        assertThat(overlay.getWidth()).isEqualTo(63 * 4);
        assertThat(overlay.getHeight()).isEqualTo(128 * 4);

        Response fetched = get("/v1/image-tokens/" + id);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(json.readTree(fetched.text()).path("tokens")).isEqualTo(tokens);
        assertThat(jdbc.queryForObject("SELECT token_count FROM image_token_results WHERE id = ?::uuid",
                Integer.class, id)).isEqualTo(256);
    }

    @Test
    void textFileIsRejected() {
        Response response = post("not an image".getBytes(), "note.txt", "16", null);

        assertProblem(response, 415, "/problems/not-an-image");
    }

    @Test
    void emptyImageIsRejected() {
        Response response = post(new byte[0], "empty.png", "16", null);

        assertProblem(response, 415, "/problems/not-an-image");
    }

    @Test
    void tokenCountOutOfRange() {
        Response tooMany = post(pngOfSize(32, 32), "small.png", "513", null);
        Response zero = post(pngOfSize(32, 32), "small.png", "0", null);

        assertProblem(tooMany, 400, "/problems/tokens-out-of-range");
        assertThat(json.readTree(tooMany.text()).path("value").asInt()).isEqualTo(513);
        assertProblem(zero, 400, "/problems/tokens-out-of-range");
    }

    @Test
    void moreTokensThanPixels() {
        Response response = post(pngOfSize(4, 4), "tiny.png", "17", "0");

        assertProblem(response, 400, "/problems/tokens-out-of-range");
        assertThat(json.readTree(response.text()).path("detail").asString()).contains("16 pixels");
    }

    @Test
    void stepsOutOfRange() {
        Response response = post(pngOfSize(16, 16), "small.png", "8", "1001");

        assertProblem(response, 400, "/problems/steps-out-of-range");
    }

    @Test
    void tooManyPixelsRejected() {
        Response response = post(pngOfSize(1000, 1000), "large.png", "8", "0");

        assertProblem(response, 413, "/problems/input-too-large");
        assertThat(json.readTree(response.text()).path("value").asLong()).isEqualTo(1_000_000L);
    }

    @Test
    void tooManyBytesRejected() {
        byte[] noise = new byte[400 * 1024];
        new Random(3).nextBytes(noise);

        Response response = post(noise, "noise.png", "8", "0");

        assertProblem(response, 413, "/problems/input-too-large");
    }

    @Test
    void missingImagePartRejected() {
        MultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
        body.add("tokens", "8");

        Response response = post(body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(json.readTree(response.text()).path("type").asString()).isEqualTo("/problems/malformed-request");
    }

    @Test
    void smallImageWithoutRefinement() {
        Response response = post(pngOfSize(16, 8), "small.png", "8", "0");

        assertThat(response.status()).as(response.text()).isEqualTo(201);
        JsonNode body = json.readTree(response.text());
        assertThat(body.path("refinement").path("stepsRun").asInt()).isZero();
        assertThat(body.path("psnr").asDouble()).isEqualTo(body.path("initialPsnr").asDouble());
        assertThat(body.path("tokens").size()).isEqualTo(8);
    }

    @Test
    void fieldNamesAreCamelCase() {
        Response response = post(pngOfSize(16, 8), "small.png", "4", "0");

        assertThat(response.status()).as(response.text()).isEqualTo(201);
        JsonNode body = json.readTree(response.text());
        assertThat(body.propertyNames()).containsExactly("id", "createdAt", "width", "height", "originalWidth",
                "originalHeight", "tokenCount", "psnr", "ssim", "initialPsnr", "initialSsim", "refinement", "timings",
                "tokens", "links");
        assertThat(body.path("refinement").propertyNames()).containsExactly("stepsRequested", "stepsRun",
                "timeLimitReached", "initialLoss", "finalLoss");
        assertThat(body.path("timings").propertyNames()).containsExactly("decodeMillis", "initialisationMillis",
                "refinementMillis", "renderingMillis", "metricsMillis", "totalMillis");
        assertThat(body.path("tokens").get(0).propertyNames()).containsExactly("muX", "muY", "sigmaX", "sigmaY",
                "rho", "features");
        assertThat(body.path("links").propertyNames()).containsExactly("self", "reconstruction", "overlay");
    }

    @Test
    void exactReconstructionHasNullPsnr() {
        Response created = post(uniformPng(16, 8, 0x204060), "flat.png", "1", "0");

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.text()).doesNotContain("Infinity");
        JsonNode body = json.readTree(created.text());
        assertThat(body.path("psnr").isNull()).as(created.text()).isTrue();
        assertThat(body.path("initialPsnr").isNull()).as(created.text()).isTrue();
        assertThat(body.path("ssim").asDouble()).isEqualTo(1.0);

        Response fetched = get("/v1/image-tokens/" + body.path("id").asString());
        assertThat(fetched.text()).doesNotContain("Infinity");
        assertThat(json.readTree(fetched.text()).path("psnr").isNull()).as(fetched.text()).isTrue();
    }

    @Test
    void unknownIdNotFound() {
        Response missing = get("/v1/image-tokens/00000000-0000-0000-0000-000000000000/overlay.png");
        Response malformed = get("/v1/image-tokens/not-a-uuid");

        assertProblem(missing, 404, "/problems/image-tokens-not-found");
        assertProblem(malformed, 400, "/problems/invalid-id");
    }

    private void assertProblem(Response response, int status, String type) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = json.readTree(response.text());
        assertThat(problem.path("type").asString()).isEqualTo(type);
        assertThat(problem.path("hint").asString()).isNotBlank();
    }

    /** Returns a PNG of a horizontal grey ramp, so that it has some texture to split. */
    private static byte[] pngOfSize(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int grey = 255 * x / Math.max(1, width - 1);
                image.setRGB(x, y, (grey << 16) | (grey << 8) | grey);
            }
        }
        return encodePng(image);
    }

    private static byte[] uniformPng(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return encodePng(image);
    }

    private static byte[] encodePng(BufferedImage image) {
        try (ByteArrayOutputStream output = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", output);
            return output.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BufferedImage png(Response response) throws IOException {
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().getContentType()).isEqualTo(MediaType.IMAGE_PNG);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.bytes()));
        assertThat(image).isNotNull();
        return image;
    }

    private Response post(byte[] image, String filename, String tokens, String steps) {
        MultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
        body.add("image", new ByteArrayResource(image) {
            @Override
            public String getFilename() {
                return filename;
            }
        });
        body.add("tokens", tokens);
        if (steps != null) {
            body.add("steps", steps);
        }
        return post(body);
    }

    private Response post(MultiValueMap<String, Object> body) {
        return client.post().uri("/v1/image-tokens").contentType(MediaType.MULTIPART_FORM_DATA).body(body)
                .exchange((request, response) -> new Response(response.getStatusCode().value(), response.getHeaders(),
                        response.getBody().readAllBytes()));
    }

    private Response get(String uri) {
        return client.get().uri(uri).exchange((request, response) -> new Response(response.getStatusCode().value(),
                response.getHeaders(), response.getBody().readAllBytes()));
    }

    private Response getBytes(String uri) {
        return get(uri);
    }

    private record Response(int status, HttpHeaders headers, byte[] bytes) {

        String text() {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
