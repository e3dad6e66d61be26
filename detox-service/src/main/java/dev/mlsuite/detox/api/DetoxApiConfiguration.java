package dev.mlsuite.detox.api;

import dev.mlsuite.detox.generation.DetoxModels;
import dev.mlsuite.detox.persistence.GenerationRecordRepository;
import dev.mlsuite.detox.split.SplitGenerationService;
import dev.mlsuite.inference.engine.InferenceEngine;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.convert.converter.Converter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/** Beans of the detox service: models loaded at start-up, the generation service and the stream executor. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DetoxProperties.class)
public class DetoxApiConfiguration {

    /**
     * Binds {@code detox.*} folder paths with {@link Path#of}, relative to the working directory.
     * Spring's default conversion reads them through the web application's resource loader, which
     * rejects paths such as {@code ../models/detox/lm}.
     */
    @Bean
    @ConfigurationPropertiesBinding
    static Converter<String, Path> detoxPathConverter() {
        return new Converter<String, Path>() {
            @Override
            public Path convert(String source) {
                return Path.of(source);
            }
        };
    }

    /**
     * Rejects a number or boolean where a request field is a string ({@code "prompt": 42}), which Jackson
     * would otherwise convert to text. {@code spring.jackson.mapper.allow-coercion-of-scalars=false} in
     * {@code application.yml} covers the other direction ({@code "seed": "5"}) but leaves strings out.
     */
    @Bean
    static JsonMapperBuilderCustomizer detoxStrictStrings() {
        return builder -> builder.withCoercionConfig(LogicalType.Textual, config -> config
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    @Bean(destroyMethod = "close")
    public DetoxModels detoxModels(InferenceEngine engine, DetoxProperties properties) {
        return DetoxModels.load(engine, properties.languageModelType(), properties.languageModel(), properties.sae(), properties.scorer());
    }

    /** The generation service, which runs through the split roles when {@code detox.split.enabled} is true. */
    @Bean
    public DetoxGenerationService detoxGenerationService(DetoxModels models, DetoxProperties properties,
            GenerationRecordRepository repository, ObjectProvider<SplitGenerationService> split) {
        return new DetoxGenerationService(models, properties, repository, split.getIfAvailable());
    }

    /** Threads that run streamed generations, so request threads return at once. */
    @Bean(destroyMethod = "shutdownNow")
    public ExecutorService detoxStreamExecutor() {
        return Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "detox-stream");
            thread.setDaemon(true);
            return thread;
        });
    }
}
