package dev.mlsuite.inference.generation.batching;

/**
 * Limits and layout of a {@link ContinuousBatcher}.
 *
 * @param maxActiveSequences maximum number of sequences decoded together in one forward pass
 * @param maxWaitingRequests maximum number of requests waiting to join; one more is rejected
 * @param prefillThreads 0 runs prefill on the decode loop between steps (both phases in one pool);
 *     a positive number runs prefill on that many separate threads, whose sequences join the decode
 *     loop once their first token exists (phase split inside one process)
 */
public record BatcherSettings(int maxActiveSequences, int maxWaitingRequests, int prefillThreads) {

    public static final int DEFAULT_MAX_ACTIVE_SEQUENCES = 32;
    public static final int DEFAULT_MAX_WAITING_REQUESTS = 64;

    public BatcherSettings {
        if (maxActiveSequences < 1) {
            throw new IllegalArgumentException("maxActiveSequences must be at least 1, got " + maxActiveSequences);
        }
        if (maxWaitingRequests < 0) {
            throw new IllegalArgumentException("maxWaitingRequests must be >= 0, got " + maxWaitingRequests);
        }
        if (prefillThreads < 0) {
            throw new IllegalArgumentException("prefillThreads must be >= 0 (0 prefills on the decode loop), got "
                    + prefillThreads);
        }
    }

    /** Returns the default limits with prefill on the decode loop. */
    public static BatcherSettings defaults() {
        return new BatcherSettings(DEFAULT_MAX_ACTIVE_SEQUENCES, DEFAULT_MAX_WAITING_REQUESTS, 0);
    }

    public BatcherSettings withPrefillThreads(int threads) {
        return new BatcherSettings(maxActiveSequences, maxWaitingRequests, threads);
    }
}
