package dev.mlsuite.detox.split;

import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.generation.Generator;
import dev.mlsuite.inference.generation.LanguageModel;
import dev.mlsuite.inference.generation.SequenceStateCodec;
import dev.mlsuite.inference.generation.batching.BatcherSettings;
import dev.mlsuite.inference.generation.batching.ContinuousBatcher;
import dev.mlsuite.inference.llama.Llama2cModelLoader;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Beans of the prefill/decode roles: the model, its continuous batcher and the hand-over client. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SplitProperties.class)
@ConditionalOnProperty(prefix = "detox.split", name = "enabled", havingValue = "true")
class SplitConfiguration {

    @Bean(destroyMethod = "close")
    LanguageModel splitLanguageModel(SplitProperties properties, InferenceEngine engine) {
        return Llama2cModelLoader.loadFolder(java.nio.file.Path.of(properties.modelFolder()), engine, "detox.split.model-folder");
    }

    @Bean
    Generator splitGenerator(LanguageModel splitLanguageModel) {
        return new Generator(splitLanguageModel);
    }

    @Bean
    SequenceStateCodec splitSequenceStateCodec(LanguageModel splitLanguageModel) {
        return new SequenceStateCodec(splitLanguageModel);
    }

    @Bean(destroyMethod = "close")
    ContinuousBatcher splitBatcher(SplitProperties properties, Generator splitGenerator, MeterRegistry meters) {
        int prefillThreads = properties.role() == SplitRole.IN_PROCESS_SPLIT ? 1 : 0;
        ContinuousBatcher batcher = new ContinuousBatcher("detox-" + properties.role().name().toLowerCase(),
                splitGenerator, new BatcherSettings(properties.maxActiveSequences(), properties.maxWaitingRequests(),
                        prefillThreads));
        Gauge.builder("detox.split.active.sequences", batcher, ContinuousBatcher::activeSequences)
                .description("Sequences in the decode loop").register(meters);
        Gauge.builder("detox.split.waiting.requests", batcher, ContinuousBatcher::waitingRequests)
                .description("Requests waiting for prefill or a place in the decode loop").register(meters);
        return batcher;
    }

    @Bean
    HandoverClient splitHandoverClient(SplitProperties properties, JsonMapper json, MeterRegistry meters) {
        return new HandoverClient(properties, json, meters);
    }

    @Bean(destroyMethod = "close")
    SplitGenerationService splitGenerationService(SplitProperties properties, Generator splitGenerator,
            SequenceStateCodec splitSequenceStateCodec, ContinuousBatcher splitBatcher,
            HandoverClient splitHandoverClient, MeterRegistry meters) {
        return new SplitGenerationService(properties, splitGenerator, splitSequenceStateCodec, splitBatcher,
                splitHandoverClient, meters);
    }
}
