package dev.mlsuite.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import dev.mlsuite.gateway.ratelimit.ClientRateLimiter;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * API-key authentication and the Redis-backed rate limit, against the Redis server at
 * 127.0.0.1:6379. Keys are random per run, so the Redis buckets of earlier runs do not count.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.data.redis.host=127.0.0.1",
        "spring.data.redis.port=6379",
        "suite.gateway.api-keys.enabled=true",
        "suite.gateway.rate-limit.replenish-rate=1",
        "suite.gateway.rate-limit.burst-capacity=3"})
class ApiKeyRedisRateLimitTest extends GatewayHttpTest {

    private static final String FIRST_KEY = "first-" + UUID.randomUUID();
    private static final String SECOND_KEY = "second-" + UUID.randomUUID();
    private static final String THIRD_KEY = "third-" + UUID.randomUUID();
    private static final DownstreamServer downstream = DownstreamServer.start();

    @Autowired
    JsonMapper jsonMapper;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    ClientRateLimiter limiter;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("suite.gateway.api-keys.keys", () -> FIRST_KEY + "," + SECOND_KEY + "," + THIRD_KEY);
        registry.add("suite.gateway.services.detection.url", downstream::url);
    }

    @AfterAll
    static void stopDownstream() {
        downstream.close();
    }

    @BeforeEach
    void clearRecordedRequests() {
        downstream.clear();
    }

    @Test
    void missingKeyGives401Problem() throws Exception {
        HttpResponse<String> response = send(request("/api/detection/v1/echo", null).build());

        assertThat(response.statusCode()).isEqualTo(401);
        assertProblemJson(response);
        assertThat(jsonMapper.readTree(response.body()).path("type").asString()).isEqualTo("/problems/missing-api-key");
    }

    @Test
    void wrongKeyGives401Problem() throws Exception {
        HttpResponse<String> response = send(request("/api/detection/v1/echo", "not-a-configured-key").build());

        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode problem = jsonMapper.readTree(response.body());
        assertThat(problem.path("type").asString()).isEqualTo("/problems/invalid-api-key");
        assertThat(response.body()).doesNotContain("not-a-configured-key");
    }

    @Test
    void validKeyIsAcceptedAndNotForwarded() throws Exception {
        HttpResponse<String> response = send(request("/api/detection/v1/echo", THIRD_KEY).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(downstream.nextRequest().header("X-API-Key")).isNull();
    }

    @Test
    void healthAndApiDocsStayOpen() throws Exception {
        assertThat(send(request("/actuator/health", null).build()).statusCode()).isEqualTo(200);
        assertThat(send(request("/actuator/health/readiness", null).build()).statusCode()).isEqualTo(200);
        assertThat(send(request("/v3/api-docs/swagger-config", null).build()).statusCode()).isEqualTo(200);
        assertThat(send(request("/api/detection/v3/api-docs", null).build()).statusCode()).isEqualTo(200);
    }

    @Test
    void prometheusNeedsKey() throws Exception {
        assertThat(send(request("/actuator/prometheus", null).build()).statusCode()).isEqualTo(401);
    }

    @Test
    void limiterUsesRedis() {
        assertThat(limiter.storage()).isEqualTo("redis");
    }

    @Test
    void exhaustedKeyGets429OtherKeyPasses() throws Exception {
        HttpResponse<String> limited = null;
        for (int attempt = 0; attempt < 12 && limited == null; attempt++) {
            HttpResponse<String> response = send(request("/api/detection/v1/echo", FIRST_KEY).build());
            if (response.statusCode() == 429) {
                limited = response;
            } else {
                assertThat(response.statusCode()).isEqualTo(200);
            }
        }

        assertThat(limited).as("a 429 within 12 requests at 1 request/s with burst 3").isNotNull();
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(limited.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        JsonNode problem = jsonMapper.readTree(limited.body());
        assertThat(problem.path("status").asInt()).isEqualTo(429);
        assertThat(problem.path("type").asString()).isEqualTo("/problems/rate-limited");
        assertThat(problem.path("hint").asString()).contains("Retry-After");

        HttpResponse<String> otherKey = send(request("/api/detection/v1/echo", SECOND_KEY).build());
        assertThat(otherKey.statusCode()).isEqualTo(200);

        List<String> redisKeys = redis.keys("*key:" + keyId(FIRST_KEY) + "*").collectList().block(Duration.ofSeconds(5));
        assertThat(redisKeys).isNotEmpty();
    }

    private HttpRequest.Builder request(String path, String apiKey) {
        HttpRequest.Builder builder = request(path);
        if (apiKey != null) {
            builder.header("X-API-Key", apiKey);
        }
        return builder;
    }

    private static String keyId(String key) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 8);
    }
}
