package dev.mlsuite.platform.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.mlsuite.inference.api.ModelFactory;

/**
 * Model registry, micro-batching, inference metrics, the {@code inference} health indicator and
 * the 429/503 error mapping. Every bean can be replaced by a bean of the same type.
 */
@AutoConfiguration
@EnableConfigurationProperties(InferenceProperties.class)
public class InferenceAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public InferenceMetrics inferenceMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
        // Without actuator's registry the meters still work, but nothing exports them.
        return new InferenceMetrics(meterRegistry.getIfAvailable(SimpleMeterRegistry::new));
    }

    /**
     * Factories from beans first, in their order, then from {@link ServiceLoader}; the first
     * factory of each type builds that type's models.
     */
    @Bean
    @ConditionalOnMissingBean
    public ModelRegistry modelRegistry(InferenceProperties properties, ObjectProvider<ModelFactory> factoryBeans,
            InferenceMetrics metrics) {
        List<ModelFactory> factories = new ArrayList<>(factoryBeans.orderedStream().toList());
        ServiceLoader.load(ModelFactory.class).forEach(factories::add);
        return new ModelRegistry(properties, factories, metrics);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("inference")
    static class InferenceHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "inferenceHealthIndicator")
        InferenceHealthIndicator inferenceHealthIndicator(ModelRegistry registry) {
            return new InferenceHealthIndicator(registry);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class InferenceWebConfiguration {

        @Bean
        @ConditionalOnMissingBean
        InferenceExceptionHandler inferenceExceptionHandler() {
            return new InferenceExceptionHandler();
        }
    }
}
