package dev.mlsuite.gateway.ratelimit;

import dev.mlsuite.gateway.config.SuiteGatewayProperties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Rate limiting of routed requests, on unless {@code suite.gateway.rate-limit.enabled=false}.
 * Buckets live in Redis when {@code spring.data.redis.host} or {@code spring.data.redis.url}
 * is set, and in the gateway's memory otherwise.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "suite.gateway.rate-limit", name = "enabled", matchIfMissing = true)
public class RateLimitConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RateLimitConfiguration.class);

    @Bean
    public RateLimitFilter rateLimitFilter(ClientRateLimiter limiter, SuiteGatewayProperties properties) {
        SuiteGatewayProperties.RateLimit settings = properties.rateLimit();
        log.info("Rate limit: {} requests/s, burst {}, per API key or client address, {} storage",
                settings.replenishRate(), settings.burstCapacity(), limiter.storage());
        return new RateLimitFilter(limiter, settings.replenishRate());
    }

    /** Redis storage; Spring Cloud Gateway initialises the limiter with the Redis template and script. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(RedisConfiguredCondition.class)
    static class RedisStorage {

        @Bean
        RedisRateLimiter redisRateLimiter(SuiteGatewayProperties properties) {
            SuiteGatewayProperties.RateLimit settings = properties.rateLimit();
            return new RedisRateLimiter(settings.replenishRate(), settings.burstCapacity(), 1);
        }

        @Bean
        ClientRateLimiter redisClientRateLimiter(RedisRateLimiter redisRateLimiter) {
            return new RedisClientRateLimiter(redisRateLimiter);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(RedisNotConfiguredCondition.class)
    static class MemoryStorage {

        @Bean
        ClientRateLimiter inMemoryRateLimiter(SuiteGatewayProperties properties) {
            SuiteGatewayProperties.RateLimit settings = properties.rateLimit();
            return new InMemoryRateLimiter(settings.replenishRate(), settings.burstCapacity(),
                    settings.maxTrackedClients(), System::nanoTime);
        }
    }

    /** Matches when a Redis host or URL is set in any property source, environment variables included. */
    static class RedisConfiguredCondition extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return redisConfigured(context.getEnvironment())
                    ? ConditionOutcome.match("spring.data.redis.host or spring.data.redis.url is set")
                    : ConditionOutcome.noMatch("neither spring.data.redis.host nor spring.data.redis.url is set");
        }
    }

    static class RedisNotConfiguredCondition extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return redisConfigured(context.getEnvironment())
                    ? ConditionOutcome.noMatch("spring.data.redis.host or spring.data.redis.url is set")
                    : ConditionOutcome.match("neither spring.data.redis.host nor spring.data.redis.url is set");
        }
    }

    static boolean redisConfigured(Environment environment) {
        return hasText(environment.getProperty("spring.data.redis.host"))
                || hasText(environment.getProperty("spring.data.redis.url"));
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
