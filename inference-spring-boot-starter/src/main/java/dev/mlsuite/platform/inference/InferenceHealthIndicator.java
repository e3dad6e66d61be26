package dev.mlsuite.platform.inference;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP when every configured model is warm, DOWN while any is loading or after one failed, with
 * each model's state, version, device, parameter count, load time, error and
 * {@link dev.mlsuite.inference.api.InferenceModel#details()} as details.
 *
 * <p>The starter's defaults add this indicator ({@code inference}) to the readiness group, so
 * {@code /actuator/health/readiness} stays DOWN until the models are warm.
 */
public class InferenceHealthIndicator implements HealthIndicator {

    private final ModelRegistry registry;

    public InferenceHealthIndicator(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Health health() {
        List<ModelStatus> statuses = registry.statuses();
        boolean allReady = statuses.stream().allMatch(status -> status.state() == ModelState.READY);

        Health.Builder health = allReady ? Health.up() : Health.down();
        for (ModelStatus status : statuses) {
            health.withDetail(status.name(), details(status));
        }
        return health.build();
    }

    private static Map<String, Object> details(ModelStatus status) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", status.type());
        details.put("state", status.state().name());
        if (status.version() != null) {
            details.put("version", status.version());
            details.put("device", status.device());
            details.put("parameters", status.parameterCount());
        }
        details.putAll(status.details());
        if (status.loadTime() != null) {
            details.put("loadTimeMillis", status.loadTime().toMillis());
        }
        if (status.error() != null) {
            details.put("error", status.error());
        }
        return details;
    }
}
