package dev.mlsuite.gateway.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import reactor.core.publisher.Mono;

/**
 * Token buckets in this JVM, used when no Redis is configured. The limits hold per gateway
 * instance, so with several instances a client gets the configured rate from each.
 */
public class InMemoryRateLimiter implements ClientRateLimiter {

    private static final double NANOS_PER_SECOND = 1_000_000_000.0;

    private final int replenishRate;
    private final int burstCapacity;
    private final int maxTrackedClients;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param replenishRate tokens added per second
     * @param burstCapacity maximum tokens in a bucket
     * @param maxTrackedClients bucket count above which full buckets are dropped, since a full
     *     bucket behaves like a new one
     * @param nanoClock monotonic time in nanoseconds, {@code System::nanoTime} outside tests
     */
    public InMemoryRateLimiter(int replenishRate, int burstCapacity, int maxTrackedClients, LongSupplier nanoClock) {
        this.replenishRate = replenishRate;
        this.burstCapacity = burstCapacity;
        this.maxTrackedClients = maxTrackedClients;
        this.nanoClock = nanoClock;
    }

    @Override
    public Mono<Decision> tryConsume(String clientKey) {
        return Mono.fromSupplier(() -> consume(clientKey));
    }

    @Override
    public String storage() {
        return "in-memory";
    }

    Decision consume(String clientKey) {
        long now = nanoClock.getAsLong();
        if (buckets.size() >= maxTrackedClients) {
            dropFullBuckets(now);
        }

        Bucket bucket = buckets.computeIfAbsent(clientKey, key -> new Bucket(burstCapacity, now));
        boolean allowed;
        long remaining;
        synchronized (bucket) {
            bucket.refill(now, replenishRate, burstCapacity);
            allowed = bucket.tokens >= 1.0;
            if (allowed) {
                bucket.tokens -= 1.0;
            }
            remaining = (long) Math.floor(bucket.tokens);
        }

        return new Decision(allowed, Map.of(
                REMAINING_HEADER, Long.toString(remaining),
                REPLENISH_RATE_HEADER, Integer.toString(replenishRate),
                BURST_CAPACITY_HEADER, Integer.toString(burstCapacity)));
    }

    int trackedClients() {
        return buckets.size();
    }

    private void dropFullBuckets(long now) {
        buckets.entrySet().removeIf(entry -> {
            Bucket bucket = entry.getValue();
            synchronized (bucket) {
                bucket.refill(now, replenishRate, burstCapacity);
                return bucket.tokens >= burstCapacity;
            }
        });
    }

    private static final class Bucket {

        private double tokens;
        private long lastRefillNanos;

        private Bucket(double tokens, long nowNanos) {
            this.tokens = tokens;
            this.lastRefillNanos = nowNanos;
        }

        private void refill(long nowNanos, int replenishRate, int burstCapacity) {
            double elapsedSeconds = (nowNanos - lastRefillNanos) / NANOS_PER_SECOND;
            if (elapsedSeconds > 0) {
                tokens = Math.min(burstCapacity, tokens + elapsedSeconds * replenishRate);
                lastRefillNanos = nowNanos;
            }
        }
    }
}
