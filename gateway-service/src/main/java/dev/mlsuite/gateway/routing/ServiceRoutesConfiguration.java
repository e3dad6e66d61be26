package dev.mlsuite.gateway.routing;

import java.time.Duration;
import java.util.Map;

import dev.mlsuite.gateway.config.SuiteGatewayProperties;
import dev.mlsuite.gateway.config.SuiteGatewayProperties.ServiceRoute;
import dev.mlsuite.gateway.problem.GatewayProblemException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One route per configured service: {@code /api/{name}/**} goes to the service's URL with the
 * first two path segments stripped, through a circuit breaker named after the service whose
 * fallback is {@link FallbackController}. Spring Cloud Gateway's X-Forwarded headers filter adds
 * {@code X-Forwarded-Prefix: /api/{name}}, so the services' OpenAPI documents name the gateway URL.
 */
@Configuration(proxyBeanMethods = false)
public class ServiceRoutesConfiguration {

    /** Path of the fallback handler; the service name is appended. */
    public static final String FALLBACK_PATH = "/gateway/fallback/";

    /** Extra time the breaker's time limiter allows beyond the route's own timeouts. */
    private static final Duration TIME_LIMITER_MARGIN = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(ServiceRoutesConfiguration.class);

    @Bean
    public RouteLocator serviceRoutes(RouteLocatorBuilder builder, SuiteGatewayProperties properties) {
        RouteLocatorBuilder.Builder routes = builder.routes();
        for (Map.Entry<String, ServiceRoute> entry : properties.services().entrySet()) {
            String name = entry.getKey();
            ServiceRoute target = entry.getValue();
            routes.route(name, route -> route.path("/api/" + name + "/**")
                    .filters(filters -> filters
                            .stripPrefix(2)
                            .circuitBreaker(breaker -> breaker.setName(name).setFallbackUri("forward:" + FALLBACK_PATH + name)))
                    .metadata(RouteMetadataUtils.CONNECT_TIMEOUT_ATTR, Math.toIntExact(target.connectTimeout().toMillis()))
                    .metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, target.responseTimeout().toMillis())
                    .uri(target.url()));
            log.info("Route /api/{}/** -> {} (connect timeout {}, response timeout {})", name, target.url(),
                    target.connectTimeout(), target.responseTimeout());
        }
        return routes.build();
    }

    /**
     * Configures the breaker of each service from {@code suite.gateway.circuit-breaker}. The
     * time limiter only backs up the route timeouts, so it allows their sum plus a margin.
     */
    @Bean
    public Customizer<ReactiveResilience4JCircuitBreakerFactory> serviceCircuitBreakers(SuiteGatewayProperties properties) {
        SuiteGatewayProperties.CircuitBreaker settings = properties.circuitBreaker();
        CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .waitDurationInOpenState(settings.waitDurationInOpenState())
                .permittedNumberOfCallsInHalfOpenState(settings.permittedNumberOfCallsInHalfOpenState())
                // A rejection by the gateway itself, such as an oversized streamed body, says nothing about the service.
                .recordException(error -> !causedByGatewayProblem(error))
                .build();

        return factory -> properties.services().forEach((name, target) -> factory.configure(builder -> builder
                .circuitBreakerConfig(breakerConfig)
                .timeLimiterConfig(TimeLimiterConfig.custom()
                        .timeoutDuration(target.connectTimeout().plus(target.responseTimeout()).plus(TIME_LIMITER_MARGIN))
                        .build()), name));
    }

    private static boolean causedByGatewayProblem(Throwable error) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (current instanceof GatewayProblemException) {
                return true;
            }
        }
        return false;
    }
}
