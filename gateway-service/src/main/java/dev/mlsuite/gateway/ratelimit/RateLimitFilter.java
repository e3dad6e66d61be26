package dev.mlsuite.gateway.ratelimit;

import java.net.InetSocketAddress;

import dev.mlsuite.gateway.correlation.CorrelationIdFilter;
import dev.mlsuite.gateway.problem.GatewayProblemException;
import dev.mlsuite.gateway.security.ApiKeyFilter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Limits routed requests ({@code /api/**}) per client and responds with {@code 429} and
 * {@code Retry-After} when the client's bucket is empty. The client is the API key accepted by
 * {@link ApiKeyFilter}, or else the remote address of the TCP connection. No client-sent header
 * selects the bucket, so a client cannot pick a fresh one per request.
 */
public class RateLimitFilter implements WebFilter, Ordered {

    /** Runs after the API-key check, which identifies the client. */
    public static final int ORDER = ApiKeyFilter.ORDER + 10;

    private static final String ROUTED_PREFIX = "/api/";

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

    private final ClientRateLimiter limiter;
    private final long retryAfterSeconds;

    /**
     * @param limiter bucket storage
     * @param replenishRate tokens per second, which sets the {@code Retry-After} value
     */
    public RateLimitFilter(ClientRateLimiter limiter, int replenishRate) {
        this.limiter = limiter;
        // One token returns after 1 / replenishRate seconds, rounded up because Retry-After takes whole seconds.
        this.retryAfterSeconds = Math.max(1, (long) Math.ceil(1.0 / replenishRate));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().value().startsWith(ROUTED_PREFIX)
                || CorsUtils.isPreFlightRequest(exchange.getRequest())) {
            return chain.filter(exchange);
        }

        String clientKey = clientKey(exchange);
        return limiter.tryConsume(clientKey).flatMap(decision -> {
            HttpHeaders responseHeaders = exchange.getResponse().getHeaders();
            decision.headers().forEach(responseHeaders::set);
            if (decision.allowed()) {
                return chain.filter(exchange);
            }

            CorrelationIdFilter.withMdc(exchange, () -> log.info("Rate limit exceeded for {} ({} storage)",
                    clientKey, limiter.storage()));
            return Mono.error(new GatewayProblemException(HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                    "Too many requests", "The rate limit of this client is exhausted.", null,
                    "Wait " + retryAfterSeconds + " s (Retry-After) and send the request again, or send fewer "
                            + "requests per second.", null)
                    .withHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds)));
        });
    }

    /** Returns the bucket key: {@code key:<digest prefix>} or {@code address:<remote IP>}. */
    static String clientKey(ServerWebExchange exchange) {
        String keyId = exchange.getAttribute(ApiKeyFilter.KEY_ID_ATTRIBUTE);
        if (keyId != null) {
            return "key:" + keyId;
        }
        // NOTE: behind a reverse proxy every client has the proxy's address and shares one bucket.
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        if (remote == null || remote.getAddress() == null) {
            return "address:unknown";
        }
        return "address:" + remote.getAddress().getHostAddress();
    }
}
