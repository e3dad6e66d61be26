package dev.mlsuite.detox.generation;

/**
 * Resolved steering of one generation.
 *
 * @param tier tier name, or null when the request gave its own strength
 * @param strength length subtracted along each feature's decoder direction; 0 disables steering
 * @param features SAE feature ids steered away from
 */
public record Steering(String tier, float strength, int[] features, boolean scaleByActivation) {
}
