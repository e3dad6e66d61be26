package dev.mlsuite.inference.api;

import java.util.Map;

import ai.djl.Device;

/**
 * A loaded model that owns native memory (weights, caches) until {@link #close()}.
 *
 * <p>Implementations are created by a {@link ModelFactory}. A model that serves requests in
 * batches also implements {@link BatchPredictor}, usually through {@link StagedBatchPredictor}.
 */
public interface InferenceModel extends AutoCloseable {

    /** Name under which the model was configured, e.g. {@code detector}. */
    String name();

    /** Version recorded beside every result, e.g. a checkpoint name or a digest of the weights. */
    String version();

    /** Device that stores the weights and runs the forward pass. */
    Device device();

    /** Number of scalar parameters (weights and biases) of the model. */
    long parameterCount();

    /**
     * Settings that change the model's outputs beyond its version, such as token reduction, shown by
     * the health endpoint. Empty by default.
     */
    default Map<String, String> details() {
        return Map.of();
    }

    /**
     * Runs a small forward pass so that lazy initialisation, kernel selection and memory pools
     * are done before the first request. Throws when the model cannot run at all.
     */
    void warmUp();

    /** Frees the native memory of the model. Calling it twice has no further effect. */
    @Override
    void close();
}
