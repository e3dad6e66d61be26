package dev.mlsuite.platform.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Title, description and version of the service's OpenAPI document, from {@code suite.service.*}. */
@AutoConfiguration
@ConditionalOnClass(OpenAPI.class)
public class OpenApiAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public OpenAPI serviceOpenApi(@Value("${suite.service.title:${spring.application.name}}") String title,
            @Value("${suite.service.description:}") String description,
            @Value("${suite.service.version:0.1.0}") String version) {
        return new OpenAPI().info(new Info().title(title).description(description).version(version)
                .license(new License().name("Apache-2.0")));
    }
}
