package dev.mlsuite.gateway;

import dev.mlsuite.gateway.config.SuiteGatewayProperties;
import dev.mlsuite.gateway.correlation.CorrelationIdFilter;
import dev.mlsuite.gateway.problem.EmptyErrorResponseFilter;
import dev.mlsuite.gateway.problem.ProblemDetailsExceptionHandler;
import dev.mlsuite.gateway.request.RequestSizeFilter;
import dev.mlsuite.gateway.security.ApiKeyFilter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.server.WebFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's web filters in request order: correlation id, problem bodies for empty error
 * responses, CORS, API key, rate limit (in {@link dev.mlsuite.gateway.ratelimit.RateLimitConfiguration})
 * and body size, plus the problem-detail error handler.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SuiteGatewayProperties.class)
public class GatewayWebConfiguration {

    private static final Logger log = LoggerFactory.getLogger(GatewayWebConfiguration.class);

    @Bean
    public ProblemDetailsExceptionHandler problemDetailsExceptionHandler(JsonMapper jsonMapper) {
        return new ProblemDetailsExceptionHandler(jsonMapper);
    }

    @Bean
    public CorrelationIdFilter correlationIdFilter(ProblemDetailsExceptionHandler errorHandler) {
        return new CorrelationIdFilter(errorHandler);
    }

    @Bean
    public EmptyErrorResponseFilter emptyErrorResponseFilter(ProblemDetailsExceptionHandler errorHandler) {
        return new EmptyErrorResponseFilter(errorHandler);
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 10)
    public WebFilter corsWebFilter(SuiteGatewayProperties properties) {
        SuiteGatewayProperties.Cors cors = properties.cors();
        if (!cors.enabled()) {
            log.info("CORS is off: no allowed origins are configured");
            return (exchange, chain) -> chain.filter(exchange);
        }

        CorsConfiguration configuration = new CorsConfiguration();
        configuration.setAllowedOrigins(cors.allowedOrigins());
        configuration.setAllowedOriginPatterns(cors.allowedOriginPatterns());
        configuration.setAllowedMethods(cors.allowedMethods());
        configuration.setAllowedHeaders(cors.allowedHeaders());
        configuration.setExposedHeaders(cors.exposedHeaders());
        configuration.setAllowCredentials(cors.allowCredentials());
        configuration.setMaxAge(cors.maxAge());

        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", configuration);
        log.info("CORS allows origins {} and origin patterns {}", cors.allowedOrigins(), cors.allowedOriginPatterns());
        return new CorsWebFilter(source);
    }

    @Bean
    public ApiKeyFilter apiKeyFilter(SuiteGatewayProperties properties) {
        SuiteGatewayProperties.ApiKeys apiKeys = properties.apiKeys();
        log.info("API-key authentication is {}{}", apiKeys.enabled() ? "on" : "off",
                apiKeys.enabled() ? " with " + apiKeys.keys().size() + " key(s)" : "");
        return new ApiKeyFilter(apiKeys);
    }

    @Bean
    public dev.mlsuite.gateway.request.RequestPathFilter requestPathFilter() {
        return new dev.mlsuite.gateway.request.RequestPathFilter();
    }

    @Bean
    public RequestSizeFilter requestSizeFilter(SuiteGatewayProperties properties) {
        return new RequestSizeFilter(properties.maxRequestSize());
    }
}
