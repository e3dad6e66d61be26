package dev.mlsuite.inference.clip;

/**
 * CLIP features of a batch of images, in the joint image-text space (after {@code visual_projection}).
 *
 * @param imageEmbeds  pooled class-token embedding per image, {@code [batch][projection]}
 * @param patchEmbeds  every patch token through {@code post_layernorm} and {@code visual_projection},
 *                     {@code [batch][patches][projection]}, patches in row-major order of the
 *                     {@code gridSize x gridSize} grid
 * @param gridSize     patches per image side
 */
public record ClipImageFeatures(float[][] imageEmbeds, float[][][] patchEmbeds, int gridSize) {
}
