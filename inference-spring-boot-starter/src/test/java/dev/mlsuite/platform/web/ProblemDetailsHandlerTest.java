package dev.mlsuite.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.mlsuite.platform.jobs.JobsTestApplication;

/** Problem details for failures Spring raises before a controller runs, over real HTTP. */
class ProblemDetailsHandlerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ConfigurableApplicationContext service;

    @BeforeAll
    static void startService() {
        service = new SpringApplicationBuilder(JobsTestApplication.class).properties("server.port=0",
                "spring.application.name=problems-test", "suite.service.schema=problems_test",
                "suite.jobs.enabled=false", "spring.servlet.multipart.max-file-size=1KB").run();
    }

    @AfterAll
    static void stopService() {
        service.close();
    }

    @Test
    void multipartWithoutBoundaryIsBadRequest() throws Exception {
        HttpResponse<String> response = post("multipart/form-data", "garbage");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("/problems/malformed-multipart").contains("hint");
    }

    @Test
    void truncatedMultipartIsBadRequest() throws Exception {
        HttpResponse<String> response = post("multipart/form-data; boundary=xyz",
                "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\nabc");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("/problems/malformed-multipart");
    }

    @Test
    void oversizedUploadIsContentTooLarge() throws Exception {
        String body = "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\n"
                + "x".repeat(4096) + "\r\n--xyz--\r\n";
        HttpResponse<String> response = post("multipart/form-data; boundary=xyz", body);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("/problems/input-too-large").contains("max-file-size");
    }

    @Test
    void wrongMediaTypeHasHint() throws Exception {
        HttpResponse<String> response = post("text/plain", "hello");

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("/problems/unsupported-media-type").contains("hint");
    }

    @Test
    void nonNumericParameterNamesFieldAndValue() throws Exception {
        int port = ((WebServerApplicationContext) service).getWebServer().getPort();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v1/test-counts?count=abc")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("/problems/invalid-parameter").contains("\"field\":\"count\"")
                .contains("\"value\":\"abc\"").contains("a whole number");
    }

    private static HttpResponse<String> post(String contentType, String body) throws Exception {
        int port = ((WebServerApplicationContext) service).getWebServer().getPort();
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/test-uploads"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
