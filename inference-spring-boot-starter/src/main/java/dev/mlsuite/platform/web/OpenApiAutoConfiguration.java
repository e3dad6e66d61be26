package dev.mlsuite.platform.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Title, description and version of the service's OpenAPI document, from {@code suite.service.*}. */
@AutoConfiguration
@ConditionalOnClass(OpenAPI.class)
public class OpenApiAutoConfiguration {

    static final String API_KEY_SCHEME = "apiKey";

    @Bean
    @ConditionalOnMissingBean
    public OpenAPI serviceOpenApi(@Value("${suite.service.title:${spring.application.name}}") String title,
            @Value("${suite.service.description:}") String description,
            @Value("${suite.service.version:0.1.0}") String version) {
        // The gateway checks X-API-Key when keys are on; declaring it lets Swagger UI send one.
        SecurityScheme apiKey = new SecurityScheme().type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER)
                .name("X-API-Key").description("API key checked by the gateway when suite.gateway.api-keys.enabled=true");
        return new OpenAPI().info(new Info().title(title).description(description).version(version)
                        .license(new License().name("Apache-2.0")))
                .components(new Components().addSecuritySchemes(API_KEY_SCHEME, apiKey))
                .addSecurityItem(new SecurityRequirement().addList(API_KEY_SCHEME))
                .addSecurityItem(new SecurityRequirement());
    }
}
