package dev.mlsuite.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import dev.mlsuite.gateway.config.SuiteGatewayProperties;
import dev.mlsuite.gateway.correlation.CorrelationIdFilter;
import dev.mlsuite.gateway.problem.GatewayProblemException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * Requires a configured key in {@code X-API-Key} on every path outside the open paths (health
 * probes and API documentation by default) and responds with {@code 401} otherwise. CORS preflight
 * requests pass, because browsers never send custom headers on them. The key is removed before
 * the request goes downstream, and the exchange carries a digest of it as the client id for
 * rate limiting.
 */
public class ApiKeyFilter implements WebFilter, Ordered {

    public static final String HEADER = "X-API-Key";

    /** Exchange attribute with the first 16 hex digits of the SHA-256 digest of the accepted key. */
    public static final String KEY_ID_ATTRIBUTE = ApiKeyFilter.class.getName() + ".keyId";

    /** Runs after CORS handling and before rate limiting. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    private static final Logger log = LoggerFactory.getLogger(ApiKeyFilter.class);

    private final boolean enabled;
    private final List<byte[]> keyDigests;
    private final List<PathPattern> openPaths;

    public ApiKeyFilter(SuiteGatewayProperties.ApiKeys settings) {
        this.enabled = settings.enabled();
        this.keyDigests = settings.keys().stream().map(ApiKeyFilter::sha256).toList();
        this.openPaths = settings.openPaths().stream().map(PathPatternParser.defaultInstance::parse).toList();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!enabled || CorsUtils.isPreFlightRequest(exchange.getRequest()) || isOpen(exchange)) {
            return chain.filter(exchange);
        }

        String key = exchange.getRequest().getHeaders().getFirst(HEADER);
        if (key == null || key.isBlank()) {
            return reject(exchange, "missing-api-key", "The request has no X-API-Key header.");
        }
        byte[] digest = sha256(key);
        if (!matchesConfiguredKey(digest)) {
            return reject(exchange, "invalid-api-key", "The X-API-Key header does not contain a valid key.");
        }

        ServerWebExchange withoutKey = exchange.mutate()
                .request(request -> request.headers(headers -> headers.remove(HEADER)))
                .build();
        withoutKey.getAttributes().put(KEY_ID_ATTRIBUTE, HexFormat.of().formatHex(digest, 0, 8));
        return chain.filter(withoutKey);
    }

    private boolean isOpen(ServerWebExchange exchange) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        return openPaths.stream().anyMatch(pattern -> pattern.matches(path));
    }

    /** Compares against every key in constant time per key, so timing does not reveal which prefix matched. */
    private boolean matchesConfiguredKey(byte[] digest) {
        boolean matched = false;
        for (byte[] keyDigest : keyDigests) {
            matched |= MessageDigest.isEqual(keyDigest, digest);
        }
        return matched;
    }

    private static Mono<Void> reject(ServerWebExchange exchange, String kind, String detail) {
        CorrelationIdFilter.withMdc(exchange, () -> log.info("Rejected {} {}: {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath().value(), kind));
        return Mono.error(new GatewayProblemException(HttpStatus.UNAUTHORIZED, kind, "Unauthorized", detail, null,
                "Send one of the gateway's API keys in the " + HEADER + " header.", null));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
