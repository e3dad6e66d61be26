package dev.mlsuite.gateway.request;

import java.util.concurrent.atomic.AtomicLong;

import dev.mlsuite.gateway.correlation.CorrelationIdFilter;
import dev.mlsuite.gateway.problem.GatewayProblemException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Rejects request bodies larger than the configured limit with {@code 413}. A declared
 * {@code Content-Length} above the limit is rejected before any byte is read; a body without
 * one (chunked transfer) is counted while it streams and fails once it passes the limit.
 */
public class RequestSizeFilter implements WebFilter, Ordered {

    /** Runs after rate limiting, so rejected clients do not get to upload. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 40;

    private static final Logger log = LoggerFactory.getLogger(RequestSizeFilter.class);

    private final long maxBytes;

    public RequestSizeFilter(DataSize maxRequestSize) {
        this.maxBytes = maxRequestSize.toBytes();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long contentLength = exchange.getRequest().getHeaders().getContentLength();
        if (contentLength > maxBytes) {
            return Mono.error(tooLarge(exchange, contentLength));
        }
        if (contentLength >= 0) {
            return chain.filter(exchange);
        }

        ServerHttpRequest counted = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong received = new AtomicLong();
                return super.getBody().handle((buffer, sink) -> {
                    long total = received.addAndGet(buffer.readableByteCount());
                    if (total > maxBytes) {
                        DataBufferUtils.release(buffer);
                        sink.error(tooLarge(exchange, total));
                        return;
                    }
                    sink.next(buffer);
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }

    private GatewayProblemException tooLarge(ServerWebExchange exchange, long bytes) {
        CorrelationIdFilter.withMdc(exchange, () -> log.info("Rejected {} {}: body of at least {} bytes exceeds {} bytes",
                exchange.getRequest().getMethod(), exchange.getRequest().getPath().value(), bytes, maxBytes));
        return new GatewayProblemException(HttpStatus.CONTENT_TOO_LARGE, "input-too-large", "Input too large",
                "The request body has at least " + bytes + " bytes, more than the limit of " + maxBytes + " bytes.",
                bytes, "Send a smaller body, or raise suite.gateway.max-request-size on the gateway.", null);
    }
}
