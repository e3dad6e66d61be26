package dev.mlsuite.gateway.correlation;

import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Gives every request a correlation id: the client's {@code X-Request-Id} when it is 1 to 128
 * characters of {@code [A-Za-z0-9._:-]}, otherwise a new UUID. The id is sent downstream in
 * the same header, echoed in the response, stored as an exchange attribute for error bodies,
 * and written to the access log line of the request as the MDC key {@code requestId}.
 *
 * <p>Errors of later filters and handlers are rendered here by the given error handler, so the
 * access log line carries the final status.
 */
public class CorrelationIdFilter implements WebFilter, Ordered {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    public static final String ATTRIBUTE = CorrelationIdFilter.class.getName() + ".id";

    /** Accepted client ids: short and free of characters that could forge log lines. */
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private static final Logger accessLog = LoggerFactory.getLogger("dev.mlsuite.gateway.access");

    private final WebExceptionHandler errorHandler;

    public CorrelationIdFilter(WebExceptionHandler errorHandler) {
        this.errorHandler = errorHandler;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String id = acceptOrGenerate(exchange.getRequest().getHeaders().getFirst(HEADER));
        ServerWebExchange withId = exchange.mutate()
                .request(request -> request.headers(headers -> headers.set(HEADER, id)))
                .build();
        withId.getAttributes().put(ATTRIBUTE, id);

        // Set at commit time so that the id replaces any X-Request-Id copied from the service's response.
        withId.getResponse().beforeCommit(() -> {
            withId.getResponse().getHeaders().set(HEADER, id);
            return Mono.empty();
        });

        long startNanos = System.nanoTime();
        return chain.filter(withId)
                .onErrorResume(error -> errorHandler.handle(withId, error))
                .doFinally(signal -> logAccess(withId, id, signal, startNanos));
    }

    /** Returns the correlation id of the exchange, or {@code null} before this filter ran. */
    public static String idOf(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }

    /** Runs {@code action} with the exchange's correlation id in the logging MDC. */
    public static void withMdc(ServerWebExchange exchange, Runnable action) {
        String id = idOf(exchange);
        if (id == null) {
            action.run();
            return;
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_KEY, id)) {
            action.run();
        }
    }

    static String acceptOrGenerate(String clientId) {
        if (clientId != null && VALID_ID.matcher(clientId).matches()) {
            return clientId;
        }
        return UUID.randomUUID().toString();
    }

    private static void logAccess(ServerWebExchange exchange, String id, SignalType signal, long startNanos) {
        long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_KEY, id)) {
            accessLog.info("{} {} -> {} in {} ms{}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath().value(), status != null ? status.value() : "-", elapsedMillis,
                    signal == SignalType.CANCEL ? " (cancelled by the client)" : "");
        }
    }
}
