package dev.mlsuite.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the gateway under {@code suite.gateway}: the routed services, the request body
 * limit, API keys, rate limits, circuit breakers and CORS. Invalid values fail start-up with
 * an {@link IllegalArgumentException} that names the property and the value.
 *
 * @param services routed services by name; {@code /api/{name}/**} goes to the service's URL
 * @param maxRequestSize largest accepted request body
 */
@ConfigurationProperties("suite.gateway")
public record SuiteGatewayProperties(
        Map<String, ServiceRoute> services,
        @DefaultValue("100MB") DataSize maxRequestSize,
        @DefaultValue ApiKeys apiKeys,
        @DefaultValue RateLimit rateLimit,
        @DefaultValue CircuitBreaker circuitBreaker,
        @DefaultValue Cors cors) {

    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    public SuiteGatewayProperties {
        services = services == null ? Map.of() : Map.copyOf(services);
        for (Map.Entry<String, ServiceRoute> entry : services.entrySet()) {
            if (!SERVICE_NAME.matcher(entry.getKey()).matches()) {
                throw new IllegalArgumentException("suite.gateway.services: invalid service name '" + entry.getKey()
                        + "'; use lower-case letters, digits and '-', starting with a letter");
            }
            if (entry.getValue() == null || entry.getValue().url() == null) {
                throw new IllegalArgumentException("suite.gateway.services." + entry.getKey() + ".url is missing");
            }
        }
        if (maxRequestSize.toBytes() <= 0) {
            throw new IllegalArgumentException("suite.gateway.max-request-size must be positive, got " + maxRequestSize);
        }
    }

    /**
     * One routed service.
     *
     * @param url base URL the prefix-stripped path is appended to, e.g. {@code http://127.0.0.1:8081}
     * @param connectTimeout maximum time to open the TCP connection
     * @param responseTimeout maximum time from sending the request until the response headers
     *     arrive, so a streamed body (Server-Sent Events) may take longer
     */
    public record ServiceRoute(
            URI url,
            @DefaultValue("2s") Duration connectTimeout,
            @DefaultValue("60s") Duration responseTimeout) {

        public ServiceRoute {
            if (url != null && (!url.isAbsolute() || !("http".equals(url.getScheme()) || "https".equals(url.getScheme())))) {
                throw new IllegalArgumentException("Service URL must be an absolute http or https URL, got " + url);
            }
            requirePositive("connect-timeout", connectTimeout);
            requirePositive("response-timeout", responseTimeout);
        }
    }

    /**
     * API-key authentication through the {@code X-API-Key} header.
     *
     * @param enabled whether requests outside {@code openPaths} need a key
     * @param keys accepted keys
     * @param openPaths path patterns ({@code PathPattern} syntax) that never need a key
     */
    public record ApiKeys(
            @DefaultValue("false") boolean enabled,
            @DefaultValue List<String> keys,
            @DefaultValue({"/actuator/health", "/actuator/health/**", "/actuator/info", "/swagger-ui.html",
                    "/swagger-ui/**", "/webjars/**", "/v3/api-docs/**", "/api/*/v3/api-docs",
                    "/api/*/v3/api-docs/**"}) List<String> openPaths) {

        public ApiKeys {
            keys = withoutBlanks(keys);
            openPaths = openPaths == null ? List.of() : List.copyOf(openPaths);
            if (enabled && keys.isEmpty()) {
                throw new IllegalArgumentException("suite.gateway.api-keys.enabled is true but "
                        + "suite.gateway.api-keys.keys is empty; set at least one key (GATEWAY_API_KEYS)");
            }
        }
    }

    /**
     * Token-bucket rate limit per API key, or per client address where no key identifies the
     * caller, on every routed request ({@code /api/**}).
     *
     * @param enabled whether routed requests are limited
     * @param replenishRate tokens added per second, so the sustained requests per second
     * @param burstCapacity bucket size, so the most requests accepted at once after a pause
     * @param maxTrackedClients buckets the in-memory limiter keeps before it drops full ones
     */
    public record RateLimit(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("20") int replenishRate,
            @DefaultValue("40") int burstCapacity,
            @DefaultValue("10000") int maxTrackedClients) {

        public RateLimit {
            if (replenishRate < 1) {
                throw new IllegalArgumentException("suite.gateway.rate-limit.replenish-rate must be at least 1, got "
                        + replenishRate);
            }
            if (burstCapacity < replenishRate) {
                throw new IllegalArgumentException("suite.gateway.rate-limit.burst-capacity (" + burstCapacity
                        + ") must be at least replenish-rate (" + replenishRate + ")");
            }
            if (maxTrackedClients < 1) {
                throw new IllegalArgumentException("suite.gateway.rate-limit.max-tracked-clients must be at least 1, got "
                        + maxTrackedClients);
            }
        }
    }

    /**
     * Resilience4j settings shared by the circuit breakers. Each service gets its own breaker,
     * named after the service.
     *
     * @param failureRateThreshold failed calls, in percent, that open the breaker
     * @param slidingWindowSize calls in the count-based window the failure rate is computed on
     * @param minimumNumberOfCalls calls before the failure rate is evaluated at all
     * @param waitDurationInOpenState time the breaker stays open before it lets trial calls through
     * @param permittedNumberOfCallsInHalfOpenState trial calls in the half-open state
     */
    public record CircuitBreaker(
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("20") int slidingWindowSize,
            @DefaultValue("10") int minimumNumberOfCalls,
            @DefaultValue("10s") Duration waitDurationInOpenState,
            @DefaultValue("3") int permittedNumberOfCallsInHalfOpenState) {

        public CircuitBreaker {
            requirePositive("circuit-breaker.wait-duration-in-open-state", waitDurationInOpenState);
        }
    }

    /**
     * Cross-origin resource sharing for browsers; off while {@code allowedOrigins} and
     * {@code allowedOriginPatterns} are both empty.
     *
     * @param allowedOrigins exact origins, e.g. {@code https://app.example.org}
     * @param allowedOriginPatterns origin patterns, e.g. {@code https://*.example.org}
     * @param allowedMethods HTTP methods a cross-origin request may use
     * @param allowedHeaders request headers a cross-origin request may send
     * @param exposedHeaders response headers a browser script may read
     * @param allowCredentials whether cookies and authorization headers are allowed
     * @param maxAge how long a browser may cache a preflight response
     */
    public record Cors(
            @DefaultValue List<String> allowedOrigins,
            @DefaultValue List<String> allowedOriginPatterns,
            @DefaultValue({"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) List<String> allowedMethods,
            @DefaultValue("*") List<String> allowedHeaders,
            @DefaultValue({"X-Request-Id", "Retry-After", "Location", "X-RateLimit-Remaining"}) List<String> exposedHeaders,
            @DefaultValue("false") boolean allowCredentials,
            @DefaultValue("30m") Duration maxAge) {

        public Cors {
            allowedOrigins = withoutBlanks(allowedOrigins);
            allowedOriginPatterns = withoutBlanks(allowedOriginPatterns);
        }

        /** Returns whether any origin is configured, so CORS handling is on. */
        public boolean enabled() {
            return !allowedOrigins.isEmpty() || !allowedOriginPatterns.isEmpty();
        }
    }

    private static List<String> withoutBlanks(List<String> values) {
        return values == null ? List.of() : values.stream().map(String::trim).filter(value -> !value.isEmpty()).toList();
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("suite.gateway " + name + " must be positive, got " + value);
        }
    }
}
