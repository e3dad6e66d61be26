package dev.mlsuite.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import dev.mlsuite.gateway.ratelimit.ClientRateLimiter;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Requests pass, and the gateway stays healthy, while the configured Redis is unreachable. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.data.redis.host=127.0.0.1",
        "spring.data.redis.timeout=2s"})
class RedisDownRateLimitTest extends GatewayHttpTest {

    private static final DownstreamServer downstream = DownstreamServer.start();

    @Autowired
    ClientRateLimiter limiter;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", GatewayHttpTest::closedPort);
        registry.add("suite.gateway.services.detection.url", downstream::url);
    }

    @AfterAll
    static void stopDownstream() {
        downstream.close();
    }

    @Test
    void requestPassesWithUnknownRemaining() throws Exception {
        HttpResponse<String> response = get("/api/detection/v1/echo");

        assertThat(limiter.storage()).isEqualTo("redis");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-RateLimit-Remaining")).hasValue("-1");
    }

    @Test
    void healthStaysUp() throws Exception {
        HttpResponse<String> response = get("/actuator/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"UP\"");
    }
}
