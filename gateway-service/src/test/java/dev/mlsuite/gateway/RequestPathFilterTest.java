package dev.mlsuite.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Path checks, actuator publishing and concurrency through a running gateway. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "suite.gateway.rate-limit.enabled=false"})
class RequestPathFilterTest extends GatewayHttpTest {

    private static final DownstreamServer downstream = DownstreamServer.start();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("suite.gateway.services.detection.url", downstream::url);
    }

    @AfterAll
    static void stopDownstream() {
        downstream.close();
    }

    @Test
    void encodedSlashIsProblemDetail() throws Exception {
        HttpResponse<String> response = get("/api/detection/v1/jobs/..%2F..%2Fetc");

        assertThat(response.statusCode()).isEqualTo(400);
        assertProblemJson(response);
        assertThat(response.body()).contains("/problems/invalid-path");
    }

    @Test
    void pathsHidingOpenPrefixesAreRejected() throws Exception {
        for (String path : List.of("/api/detection/v3/api-docs;/../../v1/jobs", "/api/detection/v1/a%5Cb",
                "/api/detection/v1/%2e%2e/x")) {
            HttpResponse<String> response = get(path);

            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.body()).as(path).contains("/problems/invalid-path");
        }
    }

    @Test
    void serviceMetricsAreNotPublished() throws Exception {
        HttpResponse<String> response = get("/api/detection/actuator/prometheus");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("/problems/not-found");
    }

    @Test
    void serviceInternalPathsAreNotPublished() throws Exception {
        downstream.clear();
        for (String path : List.of("/api/detection/internal", "/api/detection/internal/v1/decode-status")) {
            HttpResponse<String> response = get(path);

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).contains("/problems/not-found");
        }
        HttpResponse<String> post = http.send(request("/api/detection/internal/v1/decode-sessions")
                .POST(HttpRequest.BodyPublishers.ofString("MLHO")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(post.statusCode()).isEqualTo(404);
        assertThat(post.body()).contains("/problems/not-found");
        assertThat(get("/api/detection/v1/echo").statusCode()).isEqualTo(200);
        assertThat(downstream.nextRequest().pathAndQuery()).isEqualTo("/v1/echo");
    }

    @Test
    void serviceHealthIsPublished() throws Exception {
        HttpResponse<String> response = get("/api/detection/actuator/health");

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void gatewayEndpointsCloseConnection() throws Exception {
        HttpResponse<String> response = get("/actuator/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Connection")).hasValue("close");
    }

    @Test
    void burstAboveTwentyFiveCallsPasses() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            responses.add(http.sendAsync(request("/api/detection/v1/echo").build(), HttpResponse.BodyHandlers.ofString()));
        }

        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertThat(response.get().statusCode()).isEqualTo(200);
        }
    }

}
