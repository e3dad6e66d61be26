package dev.mlsuite.inference.generation.batching;

import dev.mlsuite.inference.generation.GenerationResult;
import java.util.concurrent.CompletableFuture;

/**
 * One request inside a {@link ContinuousBatcher}: its result once the sequence finishes, and a way to
 * cancel it, e.g. when the client disconnects.
 */
public final class GenerationHandle {

    private final CompletableFuture<GenerationResult> result = new CompletableFuture<>();
    private final long submittedNanos = System.nanoTime();
    private volatile boolean cancelRequested;

    /**
     * Returns the future result. Its {@code prefillNanos} is the time from submission to the first
     * token (time to first token), or 0 for a sequence that joined already prefilled; it fails with the
     * exception of a failed prefill or decode step.
     */
    public CompletableFuture<GenerationResult> result() {
        return result;
    }

    /**
     * Requests cancellation: a waiting request is dropped and an active sequence finishes as
     * cancelled at the next decode step. Both complete the result.
     */
    public void cancel() {
        cancelRequested = true;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    long submittedNanos() {
        return submittedNanos;
    }
}
