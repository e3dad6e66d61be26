package dev.mlsuite.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class InMemoryRateLimiterTest {

    private final AtomicLong nanos = new AtomicLong();
    private final InMemoryRateLimiter limiter = new InMemoryRateLimiter(2, 3, 2, nanos::get);

    @Test
    void burstPassesThenRejects() {
        assertThat(limiter.consume("a").allowed()).isTrue();
        assertThat(limiter.consume("a").allowed()).isTrue();
        ClientRateLimiter.Decision third = limiter.consume("a");
        assertThat(third.allowed()).isTrue();
        assertThat(third.headers()).containsEntry(ClientRateLimiter.REMAINING_HEADER, "0");

        ClientRateLimiter.Decision fourth = limiter.consume("a");
        assertThat(fourth.allowed()).isFalse();
        assertThat(fourth.headers()).containsEntry(ClientRateLimiter.BURST_CAPACITY_HEADER, "3")
                .containsEntry(ClientRateLimiter.REPLENISH_RATE_HEADER, "2");
    }

    @Test
    void tokensRefillAtReplenishRate() {
        for (int request = 0; request < 3; request++) {
            limiter.consume("a");
        }
        assertThat(limiter.consume("a").allowed()).isFalse();

        nanos.addAndGet(500_000_000L);

        assertThat(limiter.consume("a").allowed()).isTrue();
        assertThat(limiter.consume("a").allowed()).isFalse();
    }

    @Test
    void clientsHaveSeparateBuckets() {
        for (int request = 0; request < 3; request++) {
            limiter.consume("a");
        }

        assertThat(limiter.consume("a").allowed()).isFalse();
        assertThat(limiter.consume("b").allowed()).isTrue();
    }

    @Test
    void fullBucketsAreDroppedAtCapacity() {
        limiter.consume("a");
        limiter.consume("b");
        nanos.addAndGet(10_000_000_000L);

        limiter.consume("c");

        assertThat(limiter.trackedClients()).isEqualTo(1);
    }
}
