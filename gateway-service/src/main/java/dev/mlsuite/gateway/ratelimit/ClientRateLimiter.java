package dev.mlsuite.gateway.ratelimit;

import java.util.Map;

import reactor.core.publisher.Mono;

/** Token-bucket rate limiter keyed by client: one request takes one token. */
public interface ClientRateLimiter {

    /** Response header with the tokens left in the client's bucket after this request. */
    String REMAINING_HEADER = "X-RateLimit-Remaining";

    /** Response header with the configured tokens per second. */
    String REPLENISH_RATE_HEADER = "X-RateLimit-Replenish-Rate";

    /** Response header with the configured bucket size. */
    String BURST_CAPACITY_HEADER = "X-RateLimit-Burst-Capacity";

    /** Takes one token from the bucket of {@code clientKey} and returns whether the request may pass. */
    Mono<Decision> tryConsume(String clientKey);

    /** Short name of the storage, for logs: {@code redis} or {@code in-memory}. */
    String storage();

    /**
     * Outcome of one {@link #tryConsume} call.
     *
     * @param allowed whether the request may pass
     * @param headers {@code X-RateLimit-*} headers to send with the response
     */
    record Decision(boolean allowed, Map<String, String> headers) {
    }
}
