package dev.mlsuite.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Base of the tests that send real HTTP/1.1 requests to a gateway started on a random port by
 * {@code @SpringBootTest}. Each test class starts its own {@link DownstreamServer}, because its
 * routes and settings differ.
 */
abstract class GatewayHttpTest {

    /** Upper bound for one response on a loaded build machine, not a speed check. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    protected final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    protected int port;

    protected HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(RESPONSE_TIMEOUT);
    }

    protected HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).build());
    }

    protected HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    protected static void assertProblemJson(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    /** Returns a local port that nothing listens on, for a service or Redis that is down. */
    protected static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free local port for an unreachable server", e);
        }
    }
}
