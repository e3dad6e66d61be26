package dev.mlsuite.gateway.problem;

import java.util.concurrent.atomic.AtomicBoolean;

import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives a problem-detail body to error responses of the gateway's own endpoints that would
 * otherwise have none. For an unknown health group or metric name ({@code /actuator/health/foo},
 * {@code /actuator/metrics/foo}) the actuator endpoints return a bare 404 with an empty body
 * instead of raising an exception, so the {@link ProblemDetailsExceptionHandler} never receives
 * them. Routed paths ({@code /api/**}) are left alone, because a service's own responses pass
 * through unchanged.
 */
public class EmptyErrorResponseFilter implements WebFilter, Ordered {

    /** Runs right after the correlation-id filter, so that the problem carries the request id. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

    private final WebExceptionHandler errorHandler;

    public EmptyErrorResponseFilter(WebExceptionHandler errorHandler) {
        this.errorHandler = errorHandler;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (exchange.getRequest().getPath().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        ProblemOnEmptyErrorResponse response = new ProblemOnEmptyErrorResponse(exchange.getResponse());
        ServerWebExchange decorated = exchange.mutate().response(response).build();
        response.exchange = decorated;
        return chain.filter(decorated);
    }

    /** Renders a problem detail when the response completes with an error status and no body was written. */
    private final class ProblemOnEmptyErrorResponse extends ServerHttpResponseDecorator {

        private final AtomicBoolean bodyWritten = new AtomicBoolean();
        private ServerWebExchange exchange;

        ProblemOnEmptyErrorResponse(ServerHttpResponse delegate) {
            super(delegate);
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            bodyWritten.set(true);
            return super.writeWith(body);
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            bodyWritten.set(true);
            return super.writeAndFlushWith(body);
        }

        @Override
        public Mono<Void> setComplete() {
            HttpStatusCode status = getStatusCode();
            if (bodyWritten.get() || isCommitted() || status == null || !status.isError()) {
                return super.setComplete();
            }
            return errorHandler.handle(exchange, toProblem(status));
        }

        private RuntimeException toProblem(HttpStatusCode status) {
            String path = exchange.getRequest().getPath().value();
            if (status.value() == HttpStatus.NOT_FOUND.value()) {
                return new GatewayProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found",
                        "The gateway has no endpoint, health group or metric at " + path + ".", path,
                        "Check the path: /actuator lists the gateway's actuator endpoints and /actuator/metrics "
                                + "the metric names.", null);
            }
            return new ResponseStatusException(status);
        }
    }
}
