package dev.mlsuite.detox.split;

import dev.mlsuite.detox.generation.Steering;
import dev.mlsuite.inference.generation.FinishReason;
import dev.mlsuite.inference.generation.Generator;
import dev.mlsuite.inference.generation.Generator.PrefillRequest;
import dev.mlsuite.inference.generation.SamplingSettings;
import dev.mlsuite.inference.generation.SequenceState;
import dev.mlsuite.inference.generation.SequenceStateCodec;
import dev.mlsuite.inference.generation.TokenListener;
import dev.mlsuite.inference.generation.batching.AdmissionRejectedException;
import dev.mlsuite.inference.generation.batching.ContinuousBatcher;
import dev.mlsuite.inference.generation.batching.GenerationHandle;
import dev.mlsuite.inference.hooks.Hooks;
import dev.mlsuite.platform.inference.InferenceRejectedException;
import dev.mlsuite.platform.web.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * Runs a generation according to this instance's {@link SplitRole}. A prefill instance hands the
 * prefilled sequence to the least loaded decode instance. When every decode instance is down, rejects
 * it or fails mid-stream, the sequence decodes here instead. Each token reaches the client once
 * because the relay forwards only the next expected token index, and decoding of a restored sequence
 * repeats the same tokens (the sampler state travels with it). Steering travels with the sequence too,
 * so a decode instance continues it with the same SAE or rejects the hand-over.
 */
public final class SplitGenerationService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SplitGenerationService.class);

    private final SplitProperties properties;
    private final SplitModel model;
    private final Generator generator;
    private final SequenceStateCodec codec;
    private final ContinuousBatcher batcher;
    private final HandoverClient client;
    private final MeterRegistry meters;
    private final ExecutorService prefillPool;
    private final ExecutorService relayPool;
    private final AtomicInteger waitingPrefills = new AtomicInteger(); // admitted on a prefill instance, not yet prefilled

    SplitGenerationService(SplitProperties properties, SplitModel model, Generator generator, SequenceStateCodec codec,
            ContinuousBatcher batcher, HandoverClient client, MeterRegistry meters) {
        this.properties = properties;
        this.model = model;
        this.generator = generator;
        this.codec = codec;
        this.batcher = batcher;
        this.client = client;
        this.meters = meters;
        this.prefillPool = Executors.newSingleThreadExecutor(daemon("split-prefill"));
        this.relayPool = Executors.newCachedThreadPool(daemon("split-relay"));
    }

    /** Returns whether steered requests can run here, which needs the service's own model and SAE. */
    public boolean canSteer() {
        return model.canSteer();
    }

    /**
     * Starts a generation whose output goes to {@code sink} and returns the action that cancels it.
     *
     * @param steering steering of the sequence, or null for none. Active steering needs {@link #canSteer()}.
     * @throws ApiException 429 when the decode loop of this instance, or on a prefill instance its prefill
     *     queue, has no room for another request. Nothing has been sent to {@code sink} then.
     */
    Runnable start(String requestId, int[] promptTokens, SamplingSettings settings, Steering steering,
            TokenSink sink) {
        Hooks hooks = model.hooks(steering);
        if (properties.role() == SplitRole.PREFILL) {
            return startPrefill(requestId, promptTokens, settings, steering, hooks, sink);
        }

        HandoverClient.Relay relay = new HandoverClient.Relay(sink, 0);
        sink.decodedBy(null, 0, 0);
        GenerationHandle handle = submitLocally(new PrefillRequest(promptTokens, settings, hooks,
                new RelayListener(relay, 0)));
        handle.result().whenComplete((result, failure) -> {
            if (failure != null) {
                sink.fail(unwrap(failure));
            }
        });
        return handle::cancel;
    }

    /** Tokens, text and timings of a generation run by {@link #generate}. */
    public record SplitResult(int[] tokens, String text, FinishReason finishReason, long firstTokenNanos,
            long totalNanos, String decodedBy) {
    }

    /**
     * Runs a generation in this instance's role and waits until it ends. This combines {@link #begin}
     * and {@link PendingGeneration#await} in one call.
     */
    public SplitResult generate(String requestId, int[] promptTokens, SamplingSettings settings, Steering steering,
            TokenListener listener, BooleanSupplier cancelled) {
        return begin(requestId, promptTokens, settings, steering, listener).await(cancelled);
    }

    /**
     * Admits and starts a generation in this instance's role. Each token goes to {@code listener}.
     *
     * @throws ApiException 429 when there is no room for the request. No token has been sent then.
     */
    public PendingGeneration begin(String requestId, int[] promptTokens, SamplingSettings settings,
            Steering steering, TokenListener listener) {
        ListenerSink sink = new ListenerSink(listener);
        Runnable cancel = start(requestId, promptTokens, settings, steering, sink);
        return new PendingGeneration(requestId, sink, cancel);
    }

    /** A generation started by {@link #begin}. */
    public final class PendingGeneration {
        private final String requestId;
        private final ListenerSink sink;
        private final Runnable cancel;

        private PendingGeneration(String requestId, ListenerSink sink, Runnable cancel) {
            this.requestId = requestId;
            this.sink = sink;
            this.cancel = cancel;
        }

        /**
         * Waits until the generation ends. When {@code cancelled} turns true, the generation is cancelled
         * and the result has the tokens so far and {@link FinishReason#CANCELLED}.
         *
         * @throws ApiException 504 when the generation takes longer than {@code detox.split.generation-timeout};
         *     any failure of the generation after it started is rethrown
         */
        public SplitResult await(BooleanSupplier cancelled) {
            Duration timeout = properties.generationTimeout();
            long deadlineNanos = sink.startNanos + timeout.toNanos();
            while (true) {
                try {
                    sink.done.get(100, TimeUnit.MILLISECONDS);
                    return sink.result(sink.finishReason);
                } catch (TimeoutException e) {
                    if (cancelled.getAsBoolean()) {
                        cancel.run();
                        return sink.result(FinishReason.CANCELLED);
                    }
                    if (System.nanoTime() > deadlineNanos) {
                        cancel.run();
                        throw timedOut(requestId, timeout);
                    }
                } catch (ExecutionException e) {
                    throw unwrap(e.getCause());
                } catch (InterruptedException e) {
                    cancel.run();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for generation " + requestId, e);
                }
            }
        }
    }

    /** Returns the 504 problem of a generation that ran longer than {@code timeout}. */
    static ApiException timedOut(String requestId, Duration timeout) {
        return new ApiException(HttpStatus.GATEWAY_TIMEOUT, "generation-timeout", "Generation timed out",
                "Generation " + requestId + " did not finish within " + timeout
                        + " (setting detox.split.generation-timeout)", requestId, "Request fewer tokens");
    }

    private GenerationHandle submitLocally(PrefillRequest request) {
        try {
            return batcher.submit(request);
        } catch (AdmissionRejectedException e) {
            throw queueFull(e.getMessage(), e.maxWaitingRequests());
        }
    }

    private ApiException queueFull(String detail, int maxWaitingRequests) {
        return InferenceRejectedException.tooManyRequests("generation-queue-full", detail, maxWaitingRequests,
                "Retry after the number of seconds in the Retry-After header, or send fewer concurrent requests"
                        + " (limit detox.split.max-waiting-requests).", properties.retryAfter());
    }

    /** Counts a request into the prefill queue of a prefill instance, or rejects it when the queue is full. */
    private void admitPrefill(String requestId) {
        if (waitingPrefills.incrementAndGet() > properties.maxWaitingRequests()) {
            waitingPrefills.decrementAndGet();
            log.info("Rejected request {}: {} requests already wait for prefill", requestId,
                    properties.maxWaitingRequests());
            throw queueFull("The prefill queue of this instance already contains " + properties.maxWaitingRequests()
                    + " requests", properties.maxWaitingRequests());
        }
    }

    private Runnable startPrefill(String requestId, int[] promptTokens, SamplingSettings settings, Steering steering,
            Hooks hooks, TokenSink sink) {
        HandoverSteering handoverSteering = model.describe(steering);
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicReference<GenerationHandle> localHandle = new AtomicReference<>();
        HandoverClient.Relay relay = new HandoverClient.Relay(sink, 0);

        admitPrefill(requestId);
        try {
            prefillPool.execute(() -> prefillAndHandOver(requestId, promptTokens, settings, hooks, handoverSteering,
                    relay, cancelled, localHandle));
        } catch (RejectedExecutionException e) {
            waitingPrefills.decrementAndGet();
            throw new IllegalStateException("The prefill pool is shut down, so request " + requestId
                    + " cannot start", e);
        }
        return () -> {
            cancelled.set(true);
            GenerationHandle handle = localHandle.get();
            if (handle != null) {
                handle.cancel();
            }
        };
    }

    private void prefillAndHandOver(String requestId, int[] promptTokens, SamplingSettings settings, Hooks hooks,
            HandoverSteering handoverSteering, HandoverClient.Relay relay, AtomicBoolean cancelled,
            AtomicReference<GenerationHandle> localHandle) {
        SequenceState state;
        try {
            if (cancelled.get()) {
                return;
            }
            state = generator.prefill(new PrefillRequest(promptTokens, settings, hooks, new RelayListener(relay, 0)));
        } catch (RuntimeException e) {
            log.warn("Prefill of request {} failed: {}", requestId, e.toString());
            relay.sink.fail(e);
            return;
        } finally {
            waitingPrefills.decrementAndGet();
        }
        if (state.isFinished() || cancelled.get()) {
            state.close();
            return;
        }
        try {
            relayPool.execute(() -> handOver(requestId, state, handoverSteering, relay, cancelled, localHandle));
        } catch (RejectedExecutionException e) {
            state.close();
            relay.sink.fail(new IllegalStateException("The relay pool is shut down, so request " + requestId
                    + " cannot continue", e));
        }
    }

    private void handOver(String requestId, SequenceState state, HandoverSteering steering,
            HandoverClient.Relay relay, AtomicBoolean cancelled, AtomicReference<GenerationHandle> localHandle) {
        try {
            HandoverFrame frame = new HandoverFrame(requestId, state.generatedCount(), model.modelDigest(), steering,
                    codec.serialize(state));
            for (URI instance : client.chooseInstances()) {
                if (client.handOver(instance, frame, relay, cancelled::get)) {
                    state.close();
                    return;
                }
            }

            // Every decode instance failed or rejected the sequence, so it continues here from the hand-over
            // point with its own hooks. The relay drops the tokens that a failed instance already sent.
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

    /** Passes tokens to a {@link TokenListener} and collects the whole generation for {@link #generate}. */
    private static final class ListenerSink implements TokenSink {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final long startNanos = System.nanoTime();
        private final TokenListener listener;
        private final List<Integer> tokens = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();
        private long firstTokenNanos;
        private volatile FinishReason finishReason;
        private String decodedBy = "local";

        ListenerSink(TokenListener listener) {
            this.listener = listener;
        }

        @Override
        public synchronized void token(int index, int tokenId, String textDelta) {
            if (firstTokenNanos == 0) {
                firstTokenNanos = System.nanoTime() - startNanos;
            }
            tokens.add(tokenId);
            text.append(textDelta);
            listener.onToken(tokenId, textDelta);
        }

        @Override
        public synchronized void finish(FinishReason reason, String textDelta) {
            if (firstTokenNanos == 0) {
                firstTokenNanos = System.nanoTime() - startNanos;
            }
            text.append(textDelta);
            finishReason = reason;
            listener.onFinish(reason, textDelta);
            done.complete(null);
        }

        @Override
        public void fail(RuntimeException failure) {
            done.completeExceptionally(failure);
        }

        @Override
        public synchronized void decodedBy(URI instance, int transferBytes, long transferNanos) {
            decodedBy = instance == null ? "local" : instance.toString();
        }

        synchronized SplitResult result(FinishReason reason) {
            return new SplitResult(tokens.stream().mapToInt(Integer::intValue).toArray(), text.toString(), reason,
                    firstTokenNanos, System.nanoTime() - startNanos, decodedBy);
        }
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
