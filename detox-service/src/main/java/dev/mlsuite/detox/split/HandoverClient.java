package dev.mlsuite.detox.split;

import dev.mlsuite.inference.generation.FinishReason;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Client side of a hand-over: reads the load of the decode instances, sends a sequence to one and
 * relays its NDJSON token stream to a {@link TokenSink}, dropping tokens the client already has.
 */
class HandoverClient {

    private static final Logger log = LoggerFactory.getLogger(HandoverClient.class);

    private final SplitProperties properties;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final HttpClient http;
    private final Timer transferTime;
    private final DistributionSummary transferBytes;

    HandoverClient(SplitProperties properties, JsonMapper json, MeterRegistry meters) {
        this.properties = properties;
        // Lenient, unlike the service's request mapper, so that a decode instance of a later release may add fields.
        this.json = json.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        this.meters = meters;
        this.http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1).build();
        this.transferTime = Timer.builder("detox.split.transfer.time")
                .description("Time from sending a hand-over until the decode instance accepts it")
                .publishPercentiles(0.5, 0.99).register(meters);
        this.transferBytes = DistributionSummary.builder("detox.split.transfer.bytes").baseUnit("bytes")
                .description("Size of a hand-over frame: header and serialised sequence state").register(meters);
    }

    /** Progress of the client stream: the index of the next generated token the client needs. */
    static final class Relay {
        final TokenSink sink;
        int nextIndex;
        boolean finished;

        Relay(TokenSink sink, int nextIndex) {
            this.sink = sink;
            this.nextIndex = nextIndex;
        }

        void token(int index, int tokenId, String text) {
            if (index == nextIndex) {
                nextIndex++;
                sink.token(index, tokenId, text);
            }
        }

        void finish(FinishReason reason, String text) {
            if (!finished) {
                finished = true;
                sink.finish(reason, text);
            }
        }
    }

    /**
     * Returns the configured decode instances whose status call succeeds and that accept sequences,
     * least loaded (active plus waiting sequences) first. Instances that are down are left out.
     */
    List<URI> chooseInstances() {
        List<URI> instances = properties.decodeInstances();
        List<CompletableFuture<DecodeSessionController.DecodeStatus>> calls = new ArrayList<>();
        for (URI instance : instances) {
            HttpRequest request = HttpRequest.newBuilder(instance.resolve("/internal/v1/decode-status"))
                    .timeout(properties.statusTimeout()).GET().build();
            calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> response.statusCode() == 200
                            ? json.readValue(response.body(), DecodeSessionController.DecodeStatus.class) : null)
                    .exceptionally(failure -> null));
        }

        record Candidate(URI instance, int load) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            DecodeSessionController.DecodeStatus status = calls.get(i).join();
            if (status == null || !status.accepting()) {
                log.info("Skipping decode instance {}: status call failed or it does not accept sequences",
                        instances.get(i));
                meters.counter("detox.split.handover.skipped", "reason", "status").increment();
                continue;
            }
            candidates.add(new Candidate(instances.get(i), status.activeSequences() + status.waitingRequests()));
        }
        candidates.sort(Comparator.comparingInt(Candidate::load));
        return candidates.stream().map(Candidate::instance).toList();
    }

    /**
     * Sends {@code frame} to {@code instance} and relays its stream until the finish line.
     *
     * @param cancelled polled between lines; when it turns true the stream is closed, which cancels
     *     the sequence on the decode instance
     * @return true when the finish line arrived or the client cancelled. False when the instance
     *     rejected the sequence, failed or timed out, and then the caller must decode elsewhere.
     */
    boolean handOver(URI instance, HandoverFrame frame, Relay relay, BooleanSupplier cancelled) {
        byte[] body = frame.encode();
        HttpRequest request = HttpRequest.newBuilder(instance.resolve("/internal/v1/decode-sessions"))
                .timeout(properties.handoverTimeout())
                .header("Content-Type", HandoverFrame.MEDIA_TYPE)
                .header("Accept", DecodeSessionController.NDJSON)
                .header("X-Request-Id", frame.requestId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();

        long startNanos = System.nanoTime();
        LineQueue lines = new LineQueue();
        CompletableFuture<Integer> status = new CompletableFuture<>();
        CompletableFuture<HttpResponse<Void>> exchange = http.sendAsync(request, info -> {
            status.complete(info.statusCode());
            return HttpResponse.BodySubscribers.fromLineSubscriber(lines);
        });
        exchange.whenComplete((response, failure) -> {
            if (failure != null) {
                status.completeExceptionally(failure);
            }
        });

        int statusCode;
        try {
            statusCode = status.get(properties.handoverTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException) {
                cancelSession(instance, frame.requestId());
                return failed(instance, frame, "timeout", e.getCause().toString());
            }
            return failed(instance, frame, "unreachable", e.getCause().toString());
        } catch (TimeoutException e) {
            exchange.cancel(true);
            cancelSession(instance, frame.requestId());
            return failed(instance, frame, "timeout", "no response within " + properties.handoverTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.cancel(true);
            return failed(instance, frame, "interrupted", e.toString());
        }
        if (statusCode != 200) {
            lines.cancel();
            return failed(instance, frame, "rejected", "HTTP " + statusCode);
        }
        long transferNanos = System.nanoTime() - startNanos;
        transferTime.record(transferNanos, TimeUnit.NANOSECONDS);
        transferBytes.record(body.length);
        relay.sink.decodedBy(instance, body.length, transferNanos);

        try {
            return relayLines(instance, frame, lines, relay, cancelled);
        } finally {
            lines.cancel();
        }
    }

    private boolean relayLines(URI instance, HandoverFrame frame, LineQueue lines, Relay relay,
            BooleanSupplier cancelled) {
        try {
            while (true) {
                Object item = lines.items.poll(properties.tokenTimeout().toMillis(), TimeUnit.MILLISECONDS);
                if (cancelled.getAsBoolean()) {
                    return true;
                }
                if (item == null) {
                    return failed(instance, frame, "timeout", "no line within " + properties.tokenTimeout());
                }
                if (item instanceof Throwable failure) {
                    return failed(instance, frame, "stream-failed", failure.toString());
                }
                if (item == LineQueue.END) {
                    return failed(instance, frame, "stream-ended", "stream ended before the finish line");
                }
                StreamLine line = json.readValue((String) item, StreamLine.class);
                switch (line.type()) {
                    case "token" -> relay.token(line.index(), line.token(), line.text());
                    case "finish" -> {
                        relay.finish(FinishReason.valueOf(line.finishReason()), line.text());
                        return true;
                    }
                    default -> {
                        return failed(instance, frame, "decode-error", line.message());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(instance, frame, "interrupted", e.toString());
        } catch (RuntimeException e) {
            return failed(instance, frame, "invalid-line", e.toString());
        }
    }

    /** Collects the lines of a response body so that the reader can wait for each with a time limit. */
    private static final class LineQueue implements Flow.Subscriber<String> {
        static final Object END = new Object();
        final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
        private volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription newSubscription) {
            subscription = newSubscription;
            newSubscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            items.add(line);
        }

        @Override
        public void onError(Throwable failure) {
            items.add(failure);
        }

        @Override
        public void onComplete() {
            items.add(END);
        }

        /** Stops the body, which closes the connection, so the decode instance cancels the sequence. */
        void cancel() {
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
        }
    }

    /**
     * Asks {@code instance} to drop the session of {@code requestId} after this instance stopped waiting for
     * it, so that the sequence is not decoded twice. The decode instance also cancels it at its next write to
     * the closed connection, but a session still waiting to join its decode loop writes nothing until then.
     */
    private void cancelSession(URI instance, String requestId) {
        HttpRequest request = HttpRequest.newBuilder(instance.resolve("/internal/v1/decode-sessions/"
                        + URLEncoder.encode(requestId, StandardCharsets.UTF_8)))
                .timeout(properties.statusTimeout()).DELETE().build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure != null) {
                log.info("Cancelling the session of request {} on {} failed: {}", requestId, instance,
                        failure.toString());
            }
        });
    }

    private boolean failed(URI instance, HandoverFrame frame, String reason, String detail) {
        log.warn("Hand-over of request {} to {} failed ({}): {}", frame.requestId(), instance, reason, detail);
        meters.counter("detox.split.handover.failures", "reason", reason).increment();
        return false;
    }
}
