package dev.mlsuite.inference.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import ai.djl.Device;

/**
 * Configuration of one model, independent of where it came from (Spring properties, a test,
 * a command line).
 *
 * @param name    name the model is looked up by, e.g. {@code detector}
 * @param type    factory type that builds it, e.g. {@code bert} (see {@link ModelFactory#type()})
 * @param path    model file or directory, or {@code null} for a model that needs no file
 * @param device  device to place the model on, already resolved from the {@code auto}, {@code cpu}
 *                or {@code gpu} setting
 * @param options factory-specific settings, e.g. {@code pooling=mean}; never {@code null}
 */
public record ModelDefinition(String name, String type, Path path, Device device,
        Map<String, String> options) {

    public ModelDefinition {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Model name must not be blank, got '" + name + "'");
        }
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("Type of model '" + name + "' must not be blank, got '" + type + "'");
        }
        if (device == null) {
            throw new IllegalArgumentException("Device of model '" + name + "' must not be null");
        }
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /** Returns the option value, if set. */
    public Optional<String> option(String key) {
        return Optional.ofNullable(options.get(key));
    }

    /** Returns the option value, or {@code defaultValue} when the option is not set. */
    public String option(String key, String defaultValue) {
        return options.getOrDefault(key, defaultValue);
    }

    /**
     * Returns the model path of a model type that needs one.
     *
     * @throws IllegalArgumentException when no path is configured
     */
    public Path requirePath() {
        if (path == null) {
            throw new IllegalArgumentException("Model '" + name + "' of type '" + type
                    + "' needs a path to its model file or directory, but none is configured");
        }
        return path;
    }
}
