package dev.mlsuite.detox.split;

import dev.mlsuite.inference.generation.Generator;
import dev.mlsuite.inference.generation.Generator.PrefillRequest;
import dev.mlsuite.inference.generation.SamplingSettings;
import dev.mlsuite.inference.generation.SequenceState;
import dev.mlsuite.inference.generation.SequenceStateCodec;
import dev.mlsuite.inference.generation.batching.AdmissionRejectedException;
import dev.mlsuite.inference.generation.batching.ContinuousBatcher;
import dev.mlsuite.inference.generation.batching.GenerationHandle;
import dev.mlsuite.inference.hooks.Hooks;
import dev.mlsuite.platform.web.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * Runs a generation according to this instance's {@link SplitRole}. A prefill instance hands the
 * prefilled sequence to the least loaded decode instance. When every decode instance is down, rejects
 * it or fails mid-stream, the sequence decodes here instead. Each token reaches the client once
 * because the relay forwards only the next expected token index, and decoding of a restored sequence
 * repeats the same tokens (the sampler state travels with it).
 */
final class SplitGenerationService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SplitGenerationService.class);

    private final SplitProperties properties;
    private final Generator generator;
    private final SequenceStateCodec codec;
    private final ContinuousBatcher batcher;
    private final HandoverClient client;
    private final MeterRegistry meters;
    private final ExecutorService prefillPool;
    private final ExecutorService relayPool;

    SplitGenerationService(SplitProperties properties, Generator generator, SequenceStateCodec codec,
            ContinuousBatcher batcher, HandoverClient client, MeterRegistry meters) {
        this.properties = properties;
        this.generator = generator;
        this.codec = codec;
        this.batcher = batcher;
        this.client = client;
        this.meters = meters;
        this.prefillPool = Executors.newSingleThreadExecutor(daemon("split-prefill"));
        this.relayPool = Executors.newCachedThreadPool(daemon("split-relay"));
    }

    /**
     * Starts a generation whose output goes to {@code sink} and returns the action that cancels it.
     *
     * @throws ApiException 429 when the decode loop of this instance has no room for another request
     */
    Runnable start(String requestId, int[] promptTokens, SamplingSettings settings, TokenSink sink) {
        if (properties.role() == SplitRole.PREFILL) {
            return startPrefill(requestId, promptTokens, settings, sink);
        }

        HandoverClient.Relay relay = new HandoverClient.Relay(sink, 0);
        sink.decodedBy(null, 0, 0);
        GenerationHandle handle = submitLocally(new PrefillRequest(promptTokens, settings, Hooks.NONE,
                new RelayListener(relay, 0)));
        handle.result().whenComplete((result, failure) -> {
            if (failure != null) {
                sink.fail(unwrap(failure));
            }
        });
        return handle::cancel;
    }

    private GenerationHandle submitLocally(PrefillRequest request) {
        try {
            return batcher.submit(request);
        } catch (AdmissionRejectedException e) {
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "generation-queue-full", "Too many requests",
                    e.getMessage(), e.maxWaitingRequests(), "Retry later");
        }
    }

    private Runnable startPrefill(String requestId, int[] promptTokens, SamplingSettings settings, TokenSink sink) {
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicReference<GenerationHandle> localHandle = new AtomicReference<>();
        HandoverClient.Relay relay = new HandoverClient.Relay(sink, 0);

        prefillPool.execute(() -> {
            try {
                SequenceState state = generator.prefill(new PrefillRequest(promptTokens, settings, Hooks.NONE,
                        new RelayListener(relay, 0)));
                if (state.isFinished() || cancelled.get()) {
                    state.close();
                    return;
                }
                relayPool.execute(() -> handOver(requestId, state, relay, cancelled, localHandle));
            } catch (RuntimeException e) {
                log.warn("Prefill of request {} failed: {}", requestId, e.toString());
                sink.fail(e);
            }
        });
        return () -> {
            cancelled.set(true);
            GenerationHandle handle = localHandle.get();
            if (handle != null) {
                handle.cancel();
            }
        };
    }

    private void handOver(String requestId, SequenceState state, HandoverClient.Relay relay, AtomicBoolean cancelled,
            AtomicReference<GenerationHandle> localHandle) {
        try {
            HandoverFrame frame = new HandoverFrame(requestId, state.generatedCount(), codec.serialize(state));
            for (URI instance : client.chooseInstances()) {
                if (client.handOver(instance, frame, relay, cancelled::get)) {
                    state.close();
                    return;
                }
            }

            // Every decode instance failed: the sequence continues here from the hand-over point, and the
            // relay drops the tokens that a failed instance already sent.
            log.info("Decoding request {} locally after failed hand-overs, {} tokens already sent", requestId,
                    relay.nextIndex);
            meters.counter("detox.split.handover.local").increment();
            relay.sink.decodedBy(null, 0, 0);
            state.listener(new RelayListener(relay, state.generatedCount()));
            GenerationHandle handle = batcher.join(state);
            localHandle.set(handle);
            if (cancelled.get()) {
                handle.cancel();
            }
            handle.result().whenComplete((result, failure) -> {
                if (failure != null) {
                    relay.sink.fail(unwrap(failure));
                }
            });
        } catch (RuntimeException e) {
            log.warn("Hand-over of request {} failed and local decoding did not start: {}", requestId, e.toString());
            state.close();
            relay.sink.fail(e);
        }
    }

    private static RuntimeException unwrap(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        prefillPool.shutdownNow();
        relayPool.shutdownNow();
    }
}
