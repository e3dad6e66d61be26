package dev.mlsuite.inference.api;

import java.io.IOException;

/**
 * Builds models of one type from their {@link ModelDefinition}.
 *
 * <p>Factories are found as Spring beans by the starter, or through
 * {@link java.util.ServiceLoader} from a {@code META-INF/services/dev.mlsuite.inference.api.ModelFactory}
 * file. Creating a model loads its weights; warming it up is left to the caller.
 */
public interface ModelFactory {

    /** Type name this factory builds, as written in configuration, e.g. {@code bert} or {@code llama}. */
    String type();

    /**
     * Loads the model.
     *
     * @throws IOException              when a model file cannot be read
     * @throws IllegalArgumentException when the definition or the files are invalid; the message
     *                                  names the file, tensor or option at fault
     */
    InferenceModel create(ModelDefinition definition) throws IOException;
}
