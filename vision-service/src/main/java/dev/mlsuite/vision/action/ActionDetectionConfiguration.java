package dev.mlsuite.vision.action;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.mlsuite.inference.engine.InferenceEngine;

/** Beans of the action-detection pipeline; each can be replaced by declaring a bean of the same type. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ActionDetectionProperties.class)
public class ActionDetectionConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public VideoDecoder videoDecoder(ActionDetectionProperties properties) {
        return new VideoDecoder(properties.getVideo().toLimits());
    }

    @Bean
    @ConditionalOnMissingBean
    public PersonDetector personDetector(ActionDetectionProperties properties, ObjectProvider<InferenceEngine> engine) {
        return properties.getDetector().create(() -> engine.getObject().newManager());
    }

    @Bean
    @ConditionalOnMissingBean
    public ActionScorer actionScorer(ActionDetectionProperties properties, ObjectProvider<InferenceEngine> engine) {
        return new ClipCheckpointActionScorer(properties.getClip().getCheckpointDir(),
                properties.getClip().toSettings(), () -> engine.getObject().device());
    }

    @Bean
    @ConditionalOnMissingBean
    public ActionDetectionPipeline actionDetectionPipeline(VideoDecoder decoder, PersonDetector detector,
            ActionScorer scorer, ActionDetectionProperties properties) {
        return new ActionDetectionPipeline(decoder, detector, properties.getTracker().toSettings(), scorer);
    }

    @Bean
    @ConditionalOnMissingBean
    public LabelVocabulary labelVocabulary(ActionDetectionProperties properties) {
        return new LabelVocabulary(properties.getLabels().getMaxCount(), properties.getLabels().getMaxLength());
    }

    /** Lists the pipeline's capabilities under {@code actionDetection} in the health endpoint; always UP. */
    @Bean
    public HealthIndicator actionDetectionHealthIndicator(ActionDetectionPipeline pipeline) {
        return () -> Health.up().withDetail("capabilities", pipeline.capabilities()).build();
    }
}
