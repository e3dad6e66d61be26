package dev.mlsuite.detection.model;

import java.util.List;

/**
 * A model that returns, for each raw text, the probability that an AI model wrote it. The
 * detector applies its own preprocessing, so callers pass texts as users sent them.
 *
 * <p>Implementations are safe for concurrent calls.
 */
public interface TextDetector extends AutoCloseable {

    ModelIdentity identity();

    /** Returns the decision threshold the model was tuned for; the service configuration may override it. */
    double defaultThreshold();

    /** Returns the number of weights and biases, encoder included. */
    long parameterCount();

    /** Returns the probability of "AI-generated" for each text, in input order. */
    double[] probabilities(List<String> texts);

    /** Frees the model's native memory. */
    @Override
    void close();
}
