package dev.mlsuite.platform.inference;

import java.time.Duration;
import java.util.Map;

/**
 * Snapshot of one configured model, as reported by the health indicator.
 *
 * @param name           configured name
 * @param type           factory type
 * @param state          life-cycle state
 * @param version        model version, {@code null} until loaded
 * @param device         device of the weights, {@code null} until loaded
 * @param parameterCount number of parameters, 0 until loaded
 * @param loadTime       time to load and warm up, {@code null} until ready
 * @param error          message of the load or warm-up failure, {@code null} unless failed
 * @param details        the model's {@link dev.mlsuite.inference.api.InferenceModel#details()}, empty until loaded
 */
public record ModelStatus(String name, String type, ModelState state, String version, String device,
        long parameterCount, Duration loadTime, String error, Map<String, String> details) {

    public ModelStatus {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
