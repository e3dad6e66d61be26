package dev.mlsuite.vision.action.api;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.json.JsonMapper;

import dev.mlsuite.vision.action.ActionDetectionPipeline;
import dev.mlsuite.vision.action.ActionDetectionProperties;
import dev.mlsuite.vision.action.PreviewRenderer;

/** The action-detection job handler and the recorder of its runs. */
@Configuration(proxyBeanMethods = false)
public class ActionDetectionApiConfiguration {

    @Bean
    public ActionDetectionRecorder actionDetectionRecorder(JdbcTemplate jdbc) {
        return new ActionDetectionRecorder(jdbc);
    }

    @Bean
    public ActionDetectionJobHandler actionDetectionJobHandler(ActionDetectionPipeline pipeline,
            ActionDetectionRecorder recorder, JsonMapper json, ActionDetectionProperties properties) {
        return new ActionDetectionJobHandler(pipeline, new PreviewRenderer(properties.getPreview().getMaxTileWidth()),
                recorder, json, Clock.systemUTC());
    }
}
