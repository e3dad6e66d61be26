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
import org.springframework.context.annotation.Lazy;

import dev.mlsuite.inference.api.ModelFactory;
import dev.mlsuite.inference.engine.InferenceEngine;

/**
 * PyTorch engine, model registry, micro-batching, inference metrics, the {@code inference} health
 * indicator and the 429/503 error mapping. Every bean can be replaced by a bean of the same type.
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
     * Starts the PyTorch engine offline from the native library on the classpath. The bean is lazy,
     * so a service without configured models does not load the native library.
     */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public InferenceEngine inferenceEngine(InferenceProperties properties) {
        return InferenceEngine.start(properties.engineSettings());
    }

    /**
     * Factories from beans first, in their order, then from {@link ServiceLoader}; the first
     * factory of each type builds that type's models.
     */
    @Bean
    @ConditionalOnMissingBean
    public ModelRegistry modelRegistry(InferenceProperties properties, ObjectProvider<ModelFactory> factoryBeans,
            ObjectProvider<InferenceEngine> engine, InferenceMetrics metrics) {
        List<ModelFactory> factories = new ArrayList<>(factoryBeans.orderedStream().toList());
        ServiceLoader.load(ModelFactory.class).forEach(factories::add);
        return new ModelRegistry(properties, factories, engine::getObject, metrics);
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
