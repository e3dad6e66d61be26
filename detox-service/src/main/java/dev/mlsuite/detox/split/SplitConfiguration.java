package dev.mlsuite.detox.split;

import dev.mlsuite.detox.api.DetoxProperties;
import dev.mlsuite.detox.generation.DetoxModels;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.generation.Generator;
import dev.mlsuite.inference.generation.SequenceStateCodec;
import dev.mlsuite.inference.generation.batching.BatcherSettings;
import dev.mlsuite.inference.generation.batching.ContinuousBatcher;
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

    /** The service's model and SAE, unless {@code detox.split.model-folder} names a llama2.c model for the split endpoints. */
    @Bean(destroyMethod = "close")
    SplitModel splitModel(SplitProperties properties, DetoxModels detoxModels, DetoxProperties detoxProperties,
            InferenceEngine engine) {
        if (properties.modelFolder().isEmpty()) {
            return SplitModel.ofServiceModels(detoxModels, detoxProperties.languageModel(), detoxProperties.sae());
        }
        return SplitModel.loadLlama2c(java.nio.file.Path.of(properties.modelFolder()), engine);
    }

    @Bean
    Generator splitGenerator(SplitModel splitModel) {
        return new Generator(splitModel.languageModel());
    }

    @Bean
    SequenceStateCodec splitSequenceStateCodec(SplitModel splitModel) {
        return new SequenceStateCodec(splitModel.languageModel());
    }

    @Bean(destroyMethod = "close")
    ContinuousBatcher splitBatcher(SplitProperties properties, Generator splitGenerator, MeterRegistry meters) {
        int prefillThreads = properties.role() == SplitRole.IN_PROCESS_SPLIT ? 1 : 0;
        // A prefill instance admits requests before their prefill (SplitGenerationService), and its batcher only
        // takes back sequences whose hand-overs failed. Those already hold their KV cache and may have streamed
        // tokens, so the batcher has no waiting limit that could reject them mid-stream.
        int maxWaitingRequests = properties.role() == SplitRole.PREFILL ? Integer.MAX_VALUE
                : properties.maxWaitingRequests();
        ContinuousBatcher batcher = new ContinuousBatcher("detox-" + properties.role().name().toLowerCase(),
                splitGenerator, new BatcherSettings(properties.maxActiveSequences(), maxWaitingRequests,
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
    SplitGenerationService splitGenerationService(SplitProperties properties, SplitModel splitModel,
            Generator splitGenerator, SequenceStateCodec splitSequenceStateCodec, ContinuousBatcher splitBatcher,
            HandoverClient splitHandoverClient, MeterRegistry meters) {
        return new SplitGenerationService(properties, splitModel, splitGenerator, splitSequenceStateCodec,
                splitBatcher, splitHandoverClient, meters);
    }
}
