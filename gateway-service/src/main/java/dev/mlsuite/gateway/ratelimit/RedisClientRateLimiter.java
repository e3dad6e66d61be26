package dev.mlsuite.gateway.ratelimit;

import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import reactor.core.publisher.Mono;

/**
 * Token buckets in Redis through Spring Cloud Gateway's {@link RedisRateLimiter}, so every
 * gateway instance shares one limit per client. When Redis is unreachable the
 * {@code RedisRateLimiter} logs the error and lets the request pass (fail open) with
 * {@code X-RateLimit-Remaining: -1}.
 */
public class RedisClientRateLimiter implements ClientRateLimiter {

    /** Route id the buckets are stored under; one shared limit covers all routed services. */
    static final String LIMIT_ID = "suite-gateway";

    private final RedisRateLimiter redisRateLimiter;

    public RedisClientRateLimiter(RedisRateLimiter redisRateLimiter) {
        this.redisRateLimiter = redisRateLimiter;
    }

    @Override
    public Mono<Decision> tryConsume(String clientKey) {
        return redisRateLimiter.isAllowed(LIMIT_ID, clientKey)
                .map(response -> new Decision(response.isAllowed(), response.getHeaders()));
    }

    @Override
    public String storage() {
        return "redis";
    }
}
