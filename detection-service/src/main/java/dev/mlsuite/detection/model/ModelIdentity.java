package dev.mlsuite.detection.model;

/**
 * Name and version of the model that produced a detection.
 *
 * @param name model name, such as {@code minilm-head}
 * @param version model version
 */
public record ModelIdentity(String name, String version) {
}
