package dev.mlsuite.detection.model;

import java.io.IOException;
import java.nio.file.Path;

import ai.djl.ndarray.NDManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mlsuite.inference.api.InferenceModel;
import dev.mlsuite.inference.api.ModelDefinition;
import dev.mlsuite.inference.api.ModelFactory;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.reduction.ReductionSettings;
import dev.mlsuite.inference.reduction.TokenReductionHook;

/**
 * Builds the default detector, type {@value #TYPE}: all-MiniLM-L6-v2 from the classpath plus the
 * head folder written by the training command ({@code head.safetensors} and {@code model.json}).
 *
 * <p>Options: token reduction in the encoder, read by {@link ReductionSettings#fromOptions}, for
 * example {@code reduction: pitome} with {@code reduction-ratio: 0.8}; none by default.
 */
public final class DetectionHeadModelFactory implements ModelFactory {

    private static final Logger log = LoggerFactory.getLogger(DetectionHeadModelFactory.class);

    public static final String TYPE = "detection-head";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public InferenceModel create(ModelDefinition definition) throws IOException {
        Path directory = definition.requirePath();
        String setting = "inference.models." + definition.name() + ".path";
        HeadModelFiles.LoadedHead loaded;
        try (NDManager manager = NDManager.newBaseManager(InferenceEngine.ENGINE_NAME)) {
            loaded = HeadModelFiles.read(directory, manager, setting);
        }

        ReductionSettings reduction = ReductionSettings.fromOptions(definition.options(), definition.name());
        WindowEncoder encoder = MiniLm.load(loaded.metadata().chunking(), definition.device(),
                TokenReductionHook.of(reduction));
        log.info("Model '{}': token reduction {}", definition.name(), reduction.label());
        try {
            EmbeddingHeadDetector detector = new EmbeddingHeadDetector(loaded.metadata(), loaded.head(), encoder);
            return new DetectorModel(definition.name(), detector, encoder.device());
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }
}
