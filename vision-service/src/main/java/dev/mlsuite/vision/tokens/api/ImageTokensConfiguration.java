package dev.mlsuite.vision.tokens.api;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.vision.tokens.GaussianTokenizer;
import dev.mlsuite.vision.tokens.TokenRefiner;

/** The tokenizer bean on the starter's PyTorch engine and device. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ImageTokenProperties.class)
public class ImageTokensConfiguration {

    @Bean(destroyMethod = "close")
    public GaussianTokenizer gaussianTokenizer(InferenceEngine engine, ImageTokenProperties properties) {
        return new GaussianTokenizer(engine.newManager(), properties.supportSigmas(),
                TokenRefiner.LearningRates.DEFAULT);
    }
}
