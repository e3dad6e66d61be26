package dev.mlsuite.ocr.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Sends documents and questions to the running OCR service over HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DocumentQuestionsApiTest {

    private static final Path RECEIPT = Path.of("../samples/documents/sroie-364.jpg");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String BOUNDARY = "ocr-api-test-boundary";

    private static byte[] jpeg;
    private static BufferedImage receipt;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        Path artifacts = Files.createTempDirectory("ocr-api-test");
        registry.add("suite.jobs.artifact-directory", artifacts::toString);
        registry.add("ocr.model-directory", () -> "../models/ocr");
        registry.add("ocr.max-pixels", () -> "20000000");
    }

    @BeforeAll
    static void readReceipt() throws Exception {
        jpeg = Files.readAllBytes(RECEIPT);
        receipt = ImageIO.read(RECEIPT.toFile());
    }

    @Test
    void jpegReceiptGetsAnswers() throws Exception {
        HttpResponse<String> response = post("/v1/document-questions", "receipt.jpg", jpeg,
                "What is the total?", "What is the date?");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("answers")).hasSize(2);
        assertThat(body.path("answers").get(0).path("question").asString()).isEqualTo("What is the total?");
        assertThat(body.path("answers").get(0).path("answer").isString()).isTrue();
        double confidence = body.path("answers").get(0).path("confidence").asDouble();
        assertThat(confidence).isBetween(0.0, 1.0);
        assertThat(body.path("answers").get(0).has("box")).isFalse();
        assertThat(body.path("model").asString()).startsWith("textmonkey-mini");
        assertThat(body.path("timings").path("total").asLong()).isNotNegative();

        HttpResponse<String> stored = get("/v1/document-questions/" + body.path("id").asString());
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(stored.body()).path("answers")).isEqualTo(body.path("answers"));
    }

    @Test
    void pngTiffAndPdfAreAnswered() throws Exception {
        String png = answer("receipt.png", encode(receipt, "png"));
        String tiff = answer("receipt.tiff", encode(receipt, "tiff"));
        String pdf = answer("receipt.pdf", pdf(2));

        // PNG and TIFF are lossless encodings of the same pixels, so the answers must agree.
        assertThat(tiff).isEqualTo(png);
        assertThat(pdf).isNotNull();
    }

    @Test
    void multiPagePdfJobAnswersEveryPage() throws Exception {
        HttpResponse<String> submitted = post("/v1/document-question-jobs", "two-pages.pdf", pdf(2),
                "What is the total?");

        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String id = JSON.readTree(submitted.body()).path("id").asString();
        JsonNode job = awaitFinal("/v1/jobs/" + id, Duration.ofSeconds(120));
        assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");

        JsonNode pages = JSON.readTree(get("/v1/document-question-jobs/" + id + "/pages").body());
        assertThat(pages).hasSize(2);
        assertThat(pages.get(1).path("answers").get(0).path("question").asString()).isEqualTo("What is the total?");
    }

    @Test
    void textFileIsNotAnImage() throws Exception {
        assertProblem(post("/v1/document-questions", "notes.txt", "total: 9.00".getBytes(StandardCharsets.UTF_8),
                "What is the total?"), 415, "/problems/not-an-image");
    }

    @Test
    void brokenJpegIsCorrupt() throws Exception {
        byte[] broken = new byte[600];
        broken[0] = (byte) 0xFF;
        broken[1] = (byte) 0xD8;
        broken[2] = (byte) 0xFF;
        for (int i = 3; i < broken.length; i++) {
            broken[i] = (byte) (i * 31);
        }

        assertProblem(post("/v1/document-questions", "broken.jpg", broken, "What is the total?"), 400,
                "/problems/corrupt-image");
    }

    @Test
    void hugePngHeaderIsDecompressionBomb() throws Exception {
        assertProblem(post("/v1/document-questions", "bomb.png", pngHeader(50_000, 50_000), "What is the total?"),
                413, "/problems/decompression-bomb");
    }

    @Test
    void emptyQuestionIsRejected() throws Exception {
        assertProblem(post("/v1/document-questions", "receipt.jpg", jpeg, "   "), 400, "/problems/empty-question");
    }

    @Test
    void missingQuestionIsRejected() throws Exception {
        assertProblem(post("/v1/document-questions", "receipt.jpg", jpeg), 400, "/problems/missing-question");
    }

    @Test
    void longQuestionIsRejected() throws Exception {
        assertProblem(post("/v1/document-questions", "receipt.jpg", jpeg, "What is " + "very ".repeat(20) + "total?"),
                400, "/problems/question-too-long");
    }

    @Test
    void questionInLatin1IsRejected() throws Exception {
        byte[] latin1 = "What is the total in \u00a3?".getBytes(StandardCharsets.ISO_8859_1);

        HttpResponse<String> response = postQuestionBytes("/v1/document-questions", latin1, null);

        assertProblem(response, 400, "/problems/invalid-question-encoding");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("detail").asString()).contains("not valid UTF-8").contains("offset 21");
        assertThat(problem.toString()).contains("20 a3 3f");
    }

    @Test
    void questionWithDeclaredCharsetIsAccepted() throws Exception {
        byte[] latin1 = "What is the total in \u00a3?".getBytes(StandardCharsets.ISO_8859_1);

        HttpResponse<String> response = postQuestionBytes("/v1/document-questions", latin1,
                "text/plain; charset=ISO-8859-1");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("answers").get(0).path("question").asString())
                .isEqualTo("What is the total in \u00a3?");
    }

    @Test
    void unknownResultIsNotFound() throws Exception {
        HttpResponse<String> response = get("/v1/document-questions/00000000-0000-0000-0000-000000000000");

        assertThat(response.statusCode()).isEqualTo(404);
    }

    private void assertProblem(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                contentType -> assertThat(contentType).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("type").asString()).endsWith(type);
        assertThat(problem.path("detail").asString()).isNotBlank();
    }

    private String answer(String fileName, byte[] document) throws Exception {
        HttpResponse<String> response = post("/v1/document-questions", fileName, document, "What is the total?");
        assertThat(response.statusCode()).as(fileName + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("answers").get(0).path("answer").asString();
    }

    private static byte[] encode(BufferedImage image, String format) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, bytes)).as("writer for " + format).isTrue();
        return bytes.toByteArray();
    }

    private static byte[] pdf(int pages) throws Exception {
        try (PDDocument document = new PDDocument()) {
            PDImageXObject image = LosslessFactory.createFromImage(document, receipt);
            for (int page = 0; page < pages; page++) {
                // 72 points per inch at 150 dots per inch keeps the rendered page near the scan size.
                PDRectangle size = new PDRectangle(receipt.getWidth() * 72f / 150f, receipt.getHeight() * 72f / 150f);
                PDPage pdPage = new PDPage(size);
                document.addPage(pdPage);
                try (PDPageContentStream content = new PDPageContentStream(document, pdPage)) {
                    content.drawImage(image, 0, 0, size.getWidth(), size.getHeight());
                }
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            document.save(bytes);
            return bytes.toByteArray();
        }
    }

    /** Builds a PNG signature and IHDR chunk declaring {@code width x height} pixels, with no image data. */
    private static byte[] pngHeader(int width, int height) {
        ByteBuffer chunk = ByteBuffer.allocate(17);
        chunk.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(chunk.array());
        ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}).putInt(13).put(chunk.array())
                .putInt((int) crc.getValue());
        return png.array();
    }

    private JsonNode awaitFinal(String path, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = JSON.readTree(get(path).body());
            String status = job.path("status").asString();
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")
                    || System.nanoTime() > deadline) {
                return job;
            }
            Thread.sleep(250);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Posts the receipt with one question part of raw bytes, with a part Content-Type when {@code contentType} is set. */
    private HttpResponse<String> postQuestionBytes(String path, byte[] question, String contentType) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"receipt.jpg\""
                + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(jpeg);
        body.writeBytes(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"question\"\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(question);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String fileName, byte[] file, String... questions)
            throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(file);
        body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        for (String question : questions) {
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"question\"\r\n\r\n"
                    + question + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
