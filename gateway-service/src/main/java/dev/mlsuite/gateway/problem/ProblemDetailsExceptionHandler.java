package dev.mlsuite.gateway.problem;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.mlsuite.gateway.correlation.CorrelationIdFilter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders every failure of the gateway as an {@code application/problem+json} RFC 9457
 * problem detail with a stable {@code type}, the request path as {@code instance} and the
 * correlation id as {@code requestId}. Runs before Spring Boot's default handler, which
 * writes a different JSON shape.
 */
@Order(-2)
public class ProblemDetailsExceptionHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsExceptionHandler.class);

    private static final AtomicBoolean DROPPED_ERROR_HOOK_INSTALLED = new AtomicBoolean();

    private final JsonMapper jsonMapper;

    public ProblemDetailsExceptionHandler(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
        installDroppedErrorHook();
    }

    /**
     * Replaces Reactor's default handling of errors raised after a sequence has ended, which logs each at
     * ERROR with its stack trace. A client that disconnects mid-upload makes the request body fail a second
     * time after the exchange has finished, so such errors are logged at DEBUG in one line, and any other
     * dropped error still at ERROR. Reactor's hooks are global and additive, so this runs once per JVM.
     */
    private static void installDroppedErrorHook() {
        if (!DROPPED_ERROR_HOOK_INSTALLED.compareAndSet(false, true)) {
            return;
        }
        Hooks.onErrorDropped(error -> {
            if (isClientAbort(error)) {
                log.debug("Dropped error after the client closed the connection: {}", error.toString());
            } else {
                log.error("Reactor dropped an error raised after its sequence had ended", error);
            }
        });
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (isClientAbort(error)) {
            log.info("Client closed the connection during {} {} (requestId {}): {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath().value(), CorrelationIdFilter.idOf(exchange), error.toString());
            return Mono.empty();
        }
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }

        ProblemDetail problem = toProblemDetail(exchange, error);
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        String requestId = CorrelationIdFilter.idOf(exchange);
        if (requestId != null) {
            problem.setProperty("requestId", requestId);
        }

        response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (error instanceof GatewayProblemException gatewayProblem) {
            response.getHeaders().putAll(gatewayProblem.headers());
        }
        byte[] body = jsonMapper.writeValueAsBytes(toMap(problem));
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    private ProblemDetail toProblemDetail(ServerWebExchange exchange, Throwable error) {
        if (error instanceof GatewayProblemException gatewayProblem) {
            return gatewayProblem.toProblemDetail();
        }
        if (error instanceof ResponseStatusException statusException) {
            HttpStatusCode status = statusException.getStatusCode();
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
                    statusException.getReason() != null ? statusException.getReason() : reasonPhrase(status));
            problem.setType(URI.create(GatewayProblemException.PROBLEM_TYPE_BASE + kindOf(status)));
            problem.setTitle(reasonPhrase(status));
            return problem;
        }

        log.error("Request {} {} failed unexpectedly (requestId {})", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath().value(), CorrelationIdFilter.idOf(exchange), error);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The gateway failed to process the request.");
        problem.setType(URI.create(GatewayProblemException.PROBLEM_TYPE_BASE + "internal-error"));
        problem.setTitle("Internal error");
        problem.setProperty("hint", "Retry later; if it persists, report the requestId to the operators.");
        return problem;
    }

    /**
     * Returns whether {@code error} or one of its causes means that the client went away, for example in the
     * middle of an upload: Reactor Netty's {@link AbortedException}, or a connection reset or broken pipe.
     * No problem detail is sent then, because no client reads it.
     */
    static boolean isClientAbort(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (AbortedException.isConnectionReset(cause) || cause instanceof AbortedException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** Flattens the problem into the RFC 9457 member order, with extension members last. */
    private static Map<String, Object> toMap(ProblemDetail problem) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", problem.getType().toString());
        json.put("title", problem.getTitle());
        json.put("status", problem.getStatus());
        if (problem.getDetail() != null) {
            json.put("detail", problem.getDetail());
        }
        if (problem.getInstance() != null) {
            json.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            json.putAll(problem.getProperties());
        }
        return json;
    }

    private static String reasonPhrase(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known != null ? known.getReasonPhrase() : "HTTP " + status.value();
    }

    private static String kindOf(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "malformed-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "input-too-large";
            case 415 -> "unsupported-media-type";
            case 429 -> "rate-limited";
            case 503 -> "service-unavailable";
            case 504 -> "service-timeout";
            default -> "http-" + status.value();
        };
    }
}
