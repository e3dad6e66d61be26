package dev.mlsuite.detection.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * example {@code reduction: pitome} with {@code reduction-ratio: 0.8}; none by default. With a
 * reduction, the factory takes the calibration fitted for that setting from the folder's
 * {@code reduction/} files ({@link ReducedCalibrations#choose}). Without a matching file it keeps
 * the unreduced calibration and logs a warning. The health endpoint shows the choice under
 * {@code tokenReduction} and {@code calibration}.
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
        try {
            reduction.requireLayersWithin(encoder.encoder().config().numHiddenLayers(), definition.name());
            log.info("Model '{}': token reduction {}", definition.name(), reduction.label());
            ReducedCalibrations.Choice calibration = ReducedCalibrations.choose(directory, loaded.metadata(), reduction);
            if (reduction.isActive() && !calibration.refitted()) {
                log.warn("Model '{}': {}", definition.name(), calibration.description());
            } else {
                log.info("Model '{}': {}", definition.name(), calibration.description());
            }
            EmbeddingHeadDetector detector = new EmbeddingHeadDetector(loaded.metadata(), loaded.head(),
                    calibration.calibration(), encoder);
            Map<String, String> details = new LinkedHashMap<>();
            details.put(DetectorModel.TOKEN_REDUCTION_DETAIL, reduction.label());
            details.put("calibration", calibration.description());
            return new DetectorModel(definition.name(), detector, encoder.device(), details);
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }
}
