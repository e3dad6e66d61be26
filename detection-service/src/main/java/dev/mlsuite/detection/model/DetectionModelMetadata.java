package dev.mlsuite.detection.model;

import java.util.Objects;

import dev.mlsuite.detection.preprocessing.PreprocessingSettings;

/**
 * Everything besides the head weights that the service needs to reproduce the trained model's
 * predictions, stored as {@code model.json} next to {@code head.safetensors}.
 *
 * @param name model name reported with every detection
 * @param version model version reported with every detection
 * @param encoder the frozen sentence encoder the head was trained on
 * @param preprocessing text preprocessing applied before tokenization
 * @param chunking token windows of long texts
 * @param hiddenUnits width of the head's hidden layer, 0 for logistic regression
 * @param calibration Platt scaling of the head's logit
 * @param threshold default decision threshold on the calibrated probability
 * @param trainingData where the training documents came from
 * @param seed seed of the split and of the head training
 */
public record DetectionModelMetadata(String name, String version, String encoder, PreprocessingSettings preprocessing,
        ChunkingSettings chunking, int hiddenUnits, PlattCalibration calibration, double threshold,
        String trainingData, long seed) {

    /** Encoder name of the default model. */
    public static final String MINILM_ENCODER = "sentence-transformers/all-MiniLM-L6-v2";

    public DetectionModelMetadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(preprocessing, "preprocessing");
        Objects.requireNonNull(chunking, "chunking");
        Objects.requireNonNull(calibration, "calibration");
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1), found " + threshold);
        }
    }
}
