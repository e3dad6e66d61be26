package dev.mlsuite.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mlsuite.testsupport.TestDatabase;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged gateway and detection service as separate processes: the detection service on a
 * fresh PostgreSQL database, the gateway routing {@code /api/detection/**} to it. The last
 * test stops the detection service and checks the gateway's fallback.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewaySystemIT {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(
            Long.getLong("suite.system-tests.startup-timeout-seconds", 150));

    private static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final JsonMapper json = JsonMapper.builder().build();

    private static ServiceProcess detection;
    private static ServiceProcess gateway;

    @BeforeAll
    static void startServices() throws InterruptedException {
        Path root = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();
        Path logs = Path.of(System.getProperty("suite.system-tests.logs", "target/system-test-logs"));
        TestDatabase database = TestDatabase.shared();

        int detectionPort = ServiceProcess.freePort();
        detection = ServiceProcess.start(root, "detection-service", detectionPort, Map.of(
                "DETECTION_PORT", Integer.toString(detectionPort),
                "SPRING_DATASOURCE_URL", database.jdbcUrl(),
                "SPRING_DATASOURCE_USERNAME", database.username(),
                "SPRING_DATASOURCE_PASSWORD", database.password()), "1g", logs);

        int gatewayPort = ServiceProcess.freePort();
        gateway = ServiceProcess.start(root, "gateway-service", gatewayPort, Map.of(
                "GATEWAY_PORT", Integer.toString(gatewayPort),
                "DETECTION_URL", detection.baseUrl(),
                "GATEWAY_RATE_LIMIT_ENABLED", "false"), "256m", logs);

        detection.awaitReady(STARTUP_TIMEOUT);
        gateway.awaitReady(STARTUP_TIMEOUT);
    }

    @AfterAll
    static void stopServices() {
        if (gateway != null) {
            gateway.close();
        }
        if (detection != null) {
            detection.close();
        }
    }

    @Test
    @Order(1)
    void gatewayReachesServiceHealth() throws Exception {
        HttpResponse<String> response = get("/api/detection/actuator/health/readiness", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.readTree(response.body()).path("status").asString()).isEqualTo("UP");
    }

    @Test
    @Order(2)
    void serviceApiDocsNameGatewayUrl() throws Exception {
        HttpResponse<String> response = get("/api/detection/v3/api-docs", null);

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> serverUrls = json.readTree(response.body()).path("servers").valueStream()
                .map(server -> server.path("url").asString()).toList();
        assertThat(serverUrls).contains(gateway.baseUrl() + "/api/detection");
    }

    @Test
    @Order(3)
    void swaggerConfigListsFourApis() throws Exception {
        HttpResponse<String> response = get("/v3/api-docs/swagger-config", null);

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> names = json.readTree(response.body()).path("urls").valueStream()
                .map(url -> url.path("name").asString()).toList();
        assertThat(names).containsExactlyInAnyOrder("detection", "detox", "vision", "ocr");
    }

    @Test
    @Order(4)
    void requestIdEchoedEndToEnd() throws Exception {
        String id = "system-" + UUID.randomUUID();

        HttpResponse<String> response = get("/api/detection/v1/no-such-endpoint", id);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().allValues("X-Request-Id")).containsExactly(id);
        // The service writes the id it received into its problem detail.
        assertThat(json.readTree(response.body()).path("requestId").asString()).isEqualTo(id);
    }

    @Test
    @Order(5)
    void stoppedServiceGives503NamingIt() throws Exception {
        detection.close();

        HttpResponse<String> response = get("/api/detection/actuator/health", "after-stop-1");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("type").asString()).isEqualTo("/problems/service-unavailable");
        assertThat(problem.path("service").asString()).isEqualTo("detection");
        assertThat(problem.path("requestId").asString()).isEqualTo("after-stop-1");
    }

    private static HttpResponse<String> get(String path, String requestId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .timeout(Duration.ofSeconds(30));
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
