package dev.mlsuite.platform.inference.testapp;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import dev.mlsuite.inference.api.InferenceModel;
import dev.mlsuite.inference.api.ModelDefinition;
import dev.mlsuite.inference.api.ModelFactory;
import dev.mlsuite.platform.inference.testapp.LinearTestModel.Gates;

/**
 * Builds {@link LinearTestModel}s of type {@code test-linear}. Options: {@code input-size},
 * {@code hidden-size}, {@code output-size}, {@code fail-on-load=true} to throw instead of
 * loading, {@code hold-warm-up=true} and {@code hold-forward=true} to close the model's gates.
 */
public class LinearTestModelFactory implements ModelFactory {

    public static final String TYPE = "test-linear";

    private final Map<String, LinearTestModel> models = new ConcurrentHashMap<>();
    private final Map<String, Gates> gates = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public InferenceModel create(ModelDefinition definition) throws IOException {
        if (Boolean.parseBoolean(definition.option("fail-on-load", "false"))) {
            throw new IOException("Weights of test model '" + definition.name() + "' are unreadable");
        }
        Gates modelGates = gates(definition.name(), definition);
        LinearTestModel model = new LinearTestModel(definition.name(),
                definition.device(),
                Integer.parseInt(definition.option("input-size", "4")),
                Integer.parseInt(definition.option("hidden-size", "16")),
                Integer.parseInt(definition.option("output-size", "2")),
                modelGates);
        models.put(definition.name(), model);
        return model;
    }

    /** Returns the model built under {@code name}. */
    public LinearTestModel model(String name) {
        LinearTestModel model = models.get(name);
        if (model == null) {
            throw new IllegalArgumentException("No test model named '" + name + "' was built");
        }
        return model;
    }

    /** Returns the gates of the model {@code name}; they exist as soon as loading began. */
    public Gates gates(String name) {
        Gates modelGates = gates.get(name);
        if (modelGates == null) {
            throw new IllegalArgumentException("No test model named '" + name + "' was loaded");
        }
        return modelGates;
    }

    private Gates gates(String name, ModelDefinition definition) {
        return gates.computeIfAbsent(name, key -> new Gates(
                new CountDownLatch(Boolean.parseBoolean(definition.option("hold-warm-up", "false")) ? 1 : 0),
                new CountDownLatch(Boolean.parseBoolean(definition.option("hold-forward", "false")) ? 1 : 0)));
    }
}
