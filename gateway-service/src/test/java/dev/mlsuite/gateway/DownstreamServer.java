package dev.mlsuite.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small HTTP server on 127.0.0.1 that replaces a model service in gateway tests. It
 * records every request it receives and serves three kinds of path: {@code /v1/slow} responds
 * after two seconds, {@code /v1/events} streams two Server-Sent Events, and any other path
 * returns its path and the request body size.
 */
final class DownstreamServer implements AutoCloseable {

    /** One request as the server received it. */
    record ReceivedRequest(String method, String pathAndQuery, Headers headers, int bodyBytes) {

        String header(String name) {
            return headers.getFirst(name);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final BlockingQueue<ReceivedRequest> received = new LinkedBlockingQueue<>();

    /** Latch the test counts down once it has read the first event. The server sends the second event after it. */
    final CountDownLatch firstEventSeen = new CountDownLatch(1);

    /** Whether the second event was sent only after the client had read the first one. */
    final AtomicBoolean secondEventFollowedFirst = new AtomicBoolean();

    private DownstreamServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static DownstreamServer start() {
        try {
            return new DownstreamServer();
        } catch (IOException e) {
            throw new IllegalStateException("Failed to start the downstream test server", e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Returns the next recorded request, waiting up to five seconds. */
    ReceivedRequest nextRequest() throws InterruptedException {
        ReceivedRequest request = received.poll(5, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("The downstream server received no request within 5 s");
        }
        return request;
    }

    void clear() {
        received.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int bodyBytes = exchange.getRequestBody().readAllBytes().length;
            String pathAndQuery = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() != null ? "?" + exchange.getRequestURI().getRawQuery() : "");
            Headers headers = new Headers();
            headers.putAll(exchange.getRequestHeaders());
            received.add(new ReceivedRequest(exchange.getRequestMethod(), pathAndQuery, headers, bodyBytes));

            String requestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
            if (requestId != null) {
                exchange.getResponseHeaders().set("X-Request-Id", requestId);
            }

            switch (exchange.getRequestURI().getPath()) {
                case "/v1/slow" -> respondSlowly(exchange);
                case "/v1/events" -> streamEvents(exchange);
                default -> respond(exchange, "{\"path\":\"" + pathAndQuery + "\",\"bodyBytes\":" + bodyBytes + "}");
            }
        }
    }

    private static void respond(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void respondSlowly(HttpExchange exchange) throws IOException {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        respond(exchange, "{\"slow\":true}");
    }

    private void streamEvents(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        body.write("data: one\n\n".getBytes(StandardCharsets.UTF_8));
        body.flush();
        try {
            secondEventFollowedFirst.set(firstEventSeen.await(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        body.write("data: two\n\n".getBytes(StandardCharsets.UTF_8));
        body.flush();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
