package dev.mlsuite.gateway.request;

import java.util.Locale;
import java.util.regex.Pattern;

import dev.mlsuite.gateway.problem.GatewayProblemException;
import dev.mlsuite.gateway.security.ApiKeyFilter;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Checks the raw request path before any other filter compares it with open or routed paths.
 *
 * <ul>
 *   <li>Paths with encoded slashes, backslashes or dots, dot segments or matrix parameters
 *       ({@code ;}) get {@code 400 /problems/invalid-path}. Without this check such paths could
 *       match an open prefix (API docs, health) before the service normalises them, and Tomcat
 *       in the services would reject them with an HTML error page.</li>
 *   <li>A service's actuator endpoints other than health are not published through the gateway
 *       ({@code 404 /problems/not-found}); operators reach them on the service's own port.</li>
 *   <li>Responses to the gateway's own endpoints close the connection.</li>
 * </ul>
 */
public class RequestPathFilter implements WebFilter, Ordered {

    /** Runs before API-key checks, so that they only ever see normalised paths. */
    public static final int ORDER = ApiKeyFilter.ORDER - 10;

    private static final Pattern SERVICE_ACTUATOR = Pattern.compile("^/api/[^/]+/actuator(/.*)?$");
    private static final Pattern SERVICE_HEALTH = Pattern.compile("^/api/[^/]+/actuator/health(/.*)?$");
    private static final Pattern SERVICE_INTERNAL = Pattern.compile("^/api/[^/]+/internal(/.*)?$");

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String rawPath = exchange.getRequest().getURI().getRawPath();
        if (rawPath == null || !isPlainPath(rawPath)) {
            return Mono.error(new GatewayProblemException(HttpStatus.BAD_REQUEST, "invalid-path", "Invalid path",
                    "The request path contains an encoded separator, a dot segment or a ';' parameter.", rawPath,
                    "Send the path without '..', '.', ';', %2F, %5C or %2E segments.", null));
        }

        String path = exchange.getRequest().getPath().value();
        if (SERVICE_ACTUATOR.matcher(path).matches() && !SERVICE_HEALTH.matcher(path).matches()) {
            return Mono.error(new GatewayProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found",
                    "Service actuator endpoints other than health are not published through the gateway.", path,
                    "Query the service's own port for metrics and other actuator endpoints.", null));
        }
        if (SERVICE_INTERNAL.matcher(path).matches()) {
            return Mono.error(new GatewayProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found",
                    "Internal service endpoints are only for other instances of the service and are not published"
                            + " through the gateway.", path,
                    "Use the service's public /v1 API; instances call each other's /internal endpoints directly.",
                    null));
        }

        if (!path.startsWith("/api/")) {
            // NOTE: with Reactor Netty 1.3.6 a request that follows an actuator or API-docs response on
            // the same kept-alive connection sometimes stalls (see docs/gateway.md). Closing the
            // connection after the gateway's own responses avoids it; routed traffic keeps its connection.
            exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
        }
        return chain.filter(exchange);
    }

    static boolean isPlainPath(String rawPath) {
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%2e") || lower.contains(";")
                || lower.contains("\\")) {
            return false;
        }
        for (String segment : rawPath.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
