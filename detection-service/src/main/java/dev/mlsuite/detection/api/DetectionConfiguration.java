package dev.mlsuite.detection.api;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.mlsuite.detection.model.DetectionHeadModelFactory;
import dev.mlsuite.detection.model.SequenceClassifierModelFactory;

/** Registers the detection model types with the starter's model registry. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DetectionProperties.class)
public class DetectionConfiguration {

    @Bean
    DetectionHeadModelFactory detectionHeadModelFactory() {
        return new DetectionHeadModelFactory();
    }

    @Bean
    SequenceClassifierModelFactory sequenceClassifierModelFactory() {
        return new SequenceClassifierModelFactory();
    }
}
