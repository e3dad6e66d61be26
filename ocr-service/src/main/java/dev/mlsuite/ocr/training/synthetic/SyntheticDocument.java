package dev.mlsuite.ocr.training.synthetic;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * A rendered training document with the values of its key fields and where each value was
 * drawn.
 *
 * @param fields field name ({@code company}, {@code date}, {@code address}, {@code total}) to its value
 * @param boxes field name to the pixel rectangle of its value in {@code image}, before any
 *     rotation applied by the scan effects
 */
public record SyntheticDocument(BufferedImage image, Map<String, String> fields, Map<String, Rectangle> boxes) {
}
