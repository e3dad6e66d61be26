package dev.mlsuite.gateway.routing;

import java.util.concurrent.TimeoutException;

import dev.mlsuite.gateway.config.SuiteGatewayProperties;
import dev.mlsuite.gateway.config.SuiteGatewayProperties.ServiceRoute;
import dev.mlsuite.gateway.correlation.CorrelationIdFilter;
import dev.mlsuite.gateway.problem.GatewayProblemException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.swagger.v3.oas.annotations.Hidden;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Target of every service route's circuit-breaker fallback. It turns the failure into a
 * problem detail that names the service: {@code 503 service-unavailable} when the service is
 * unreachable or its breaker is open, {@code 504 service-timeout} when it did not respond in
 * time, and the gateway's own {@code 413} when the streamed request body was too large.
 */
@Hidden
@RestController
public class FallbackController {

    private static final Logger log = LoggerFactory.getLogger(FallbackController.class);

    private final SuiteGatewayProperties properties;

    public FallbackController(SuiteGatewayProperties properties) {
        this.properties = properties;
    }

    @RequestMapping(ServiceRoutesConfiguration.FALLBACK_PATH + "{service}")
    public Mono<Void> fallback(@PathVariable String service, ServerWebExchange exchange) {
        Throwable failure = exchange.getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
        ServiceRoute route = properties.services().get(service);
        if (failure == null || route == null) {
            // Reached directly by a client rather than forwarded by a circuit breaker.
            return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND));
        }

        GatewayProblemException ownProblem = findCause(failure, GatewayProblemException.class);
        if (ownProblem != null) {
            return Mono.error(ownProblem);
        }

        CorrelationIdFilter.withMdc(exchange, () -> log.warn("Service {} at {} failed: {}", service, route.url(),
                failure.toString()));
        return Mono.error(toProblem(service, route, failure));
    }

    private GatewayProblemException toProblem(String service, ServiceRoute route, Throwable failure) {
        if (findCause(failure, CallNotPermittedException.class) != null) {
            long waitSeconds = Math.max(1, properties.circuitBreaker().waitDurationInOpenState().toSeconds());
            return new GatewayProblemException(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable",
                    "Service unavailable", "The " + service + " service failed repeatedly, so the gateway stopped "
                            + "sending it requests for now (circuit breaker open).", null,
                    "Retry after " + waitSeconds + " s; operators should check the " + service + " service's health.",
                    service)
                    .withHeader(HttpHeaders.RETRY_AFTER, Long.toString(waitSeconds));
        }
        if (isTimeout(failure)) {
            return new GatewayProblemException(HttpStatus.GATEWAY_TIMEOUT, "service-timeout", "Service timed out",
                    "The " + service + " service did not respond within " + route.responseTimeout().toMillis() + " ms.",
                    null, "Retry later, or use the service's asynchronous job endpoint for long work.", service);
        }
        return new GatewayProblemException(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable",
                "Service unavailable", "The " + service + " service is unavailable.", null,
                "Retry later; operators should check that the " + service + " service is running and reachable "
                        + "from the gateway.", service);
    }

    private static boolean isTimeout(Throwable failure) {
        if (findCause(failure, TimeoutException.class) != null) {
            return true;
        }
        ResponseStatusException statusException = findCause(failure, ResponseStatusException.class);
        return statusException != null && statusException.getStatusCode().value() == HttpStatus.GATEWAY_TIMEOUT.value();
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
        }
        return null;
    }
}
