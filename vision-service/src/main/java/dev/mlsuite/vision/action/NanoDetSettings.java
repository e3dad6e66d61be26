package dev.mlsuite.vision.action;

import java.nio.file.Path;

/**
 * Settings of {@link NanoDetPersonDetector}.
 *
 * @param modelPath         the TF.js {@code model.json} of NanoDet; its weight files lie next to it
 * @param inputSize         side of the square network input in pixels, a multiple of 32; it must equal the
 *                          model's fixed input (416 for the shipped model)
 * @param scoreThreshold    person class score (sigmoid, 0 to 1) a box needs to be kept
 * @param nmsIouThreshold   overlap above which the weaker of two person boxes is removed
 */
public record NanoDetSettings(Path modelPath, int inputSize, double scoreThreshold, double nmsIouThreshold) {

    public static final Path DEFAULT_MODEL_PATH = Path.of("models", "person-detector", "nanodet.json");
    public static final int DEFAULT_INPUT_SIZE = 416;
    public static final double DEFAULT_SCORE_THRESHOLD = 0.35;
    public static final double DEFAULT_NMS_IOU_THRESHOLD = 0.5;

    public NanoDetSettings {
        if (modelPath == null) {
            throw new IllegalArgumentException("modelPath must be set to the NanoDet model.json");
        }
        if (inputSize < 32 || inputSize % 32 != 0) {
            throw new IllegalArgumentException("inputSize must be a positive multiple of 32, got " + inputSize);
        }
        if (!(scoreThreshold >= 0 && scoreThreshold < 1)) {
            throw new IllegalArgumentException("scoreThreshold must be in [0, 1), got " + scoreThreshold);
        }
        if (!(nmsIouThreshold > 0 && nmsIouThreshold <= 1)) {
            throw new IllegalArgumentException("nmsIouThreshold must be in (0, 1], got " + nmsIouThreshold);
        }
    }

    public static NanoDetSettings defaults() {
        return new NanoDetSettings(DEFAULT_MODEL_PATH, DEFAULT_INPUT_SIZE, DEFAULT_SCORE_THRESHOLD,
                DEFAULT_NMS_IOU_THRESHOLD);
    }

    public NanoDetSettings withModelPath(Path path) {
        return new NanoDetSettings(path, inputSize, scoreThreshold, nmsIouThreshold);
    }
}
