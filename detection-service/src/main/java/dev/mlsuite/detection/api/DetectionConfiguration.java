package dev.mlsuite.detection.api;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;

import dev.mlsuite.detection.model.DetectionHeadModelFactory;
import dev.mlsuite.detection.model.SequenceClassifierModelFactory;

/** Registers the detection model types with the starter's model registry. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DetectionProperties.class)
public class DetectionConfiguration {

    /**
     * Binds {@code Path} properties such as {@code inference.models.detector.path} with
     * {@link Path#of}, relative to the working directory. Spring's default conversion goes through
     * the web application's resource loader, which reads {@code models/detection} as a servlet
     * context path and rejects {@code ../models/detection}.
     */
    @Bean
    @ConfigurationPropertiesBinding
    static StringToPathConverter stringToPathConverter() {
        return new StringToPathConverter();
    }

    /** Converts a file-system path string with {@link Path#of}. */
    static final class StringToPathConverter implements Converter<String, Path> {

        @Override
        public Path convert(String source) {
            return Path.of(source);
        }
    }

    @Bean
    DetectionHeadModelFactory detectionHeadModelFactory() {
        return new DetectionHeadModelFactory();
    }

    @Bean
    SequenceClassifierModelFactory sequenceClassifierModelFactory() {
        return new SequenceClassifierModelFactory();
    }
}
