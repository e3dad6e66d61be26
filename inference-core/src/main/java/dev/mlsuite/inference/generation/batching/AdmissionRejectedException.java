package dev.mlsuite.inference.generation.batching;

/** Thrown when a {@link ContinuousBatcher} already contains its maximum number of waiting requests. */
public final class AdmissionRejectedException extends RuntimeException {

    private final int maxWaitingRequests;

    AdmissionRejectedException(String batcherName, int maxWaitingRequests) {
        super("Batcher " + batcherName + " already has " + maxWaitingRequests
                + " waiting requests, its maximum; retry later or send the request to another instance");
        this.maxWaitingRequests = maxWaitingRequests;
    }

    public int maxWaitingRequests() {
        return maxWaitingRequests;
    }
}
