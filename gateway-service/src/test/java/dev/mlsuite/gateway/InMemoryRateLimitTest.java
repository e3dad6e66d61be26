package dev.mlsuite.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;

import dev.mlsuite.gateway.ratelimit.ClientRateLimiter;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Rate limit per client address in gateway memory, which applies while no Redis is configured. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "suite.gateway.rate-limit.replenish-rate=1",
        "suite.gateway.rate-limit.burst-capacity=2"})
class InMemoryRateLimitTest extends GatewayHttpTest {

    private static final DownstreamServer downstream = DownstreamServer.start();

    @Autowired
    ClientRateLimiter limiter;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("suite.gateway.services.detection.url", downstream::url);
    }

    @AfterAll
    static void stopDownstream() {
        downstream.close();
    }

    @Test
    void clientAddressGets429AfterBurst() throws Exception {
        assertThat(limiter.storage()).isEqualTo("in-memory");

        HttpResponse<String> limited = null;
        for (int attempt = 0; attempt < 12 && limited == null; attempt++) {
            HttpResponse<String> response = get("/api/detection/v1/echo");
            if (response.statusCode() == 429) {
                limited = response;
            }
        }

        assertThat(limited).as("a 429 within 12 requests at 1 request/s with burst 2").isNotNull();
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(limited.body()).contains("/problems/rate-limited");
    }

    @Test
    void gatewayEndpointsAreNotLimited() throws Exception {
        for (int attempt = 0; attempt < 6; attempt++) {
            // NOTE: one connection per health request, because of the keep-alive stall after actuator
            // responses described in GatewayRoutingTest and docs/gateway.md.
            HttpClient freshConnection = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> health = freshConnection.send(request("/actuator/health").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }
}
