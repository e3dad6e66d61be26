package dev.mlsuite.ocr.training;

import java.util.Map;

/**
 * A page ready for training or evaluation.
 *
 * @param id file name or synthetic seed
 * @param pixels grayscale model input from {@code DocumentImages.toPixels}
 * @param fields key field name to its expected value
 */
public record LabelledDocument(String id, float[] pixels, Map<String, String> fields) {
}
