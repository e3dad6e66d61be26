package dev.mlsuite.vision.action;

/**
 * The stages of the action-detection pipeline and whether each one runs; reported with every
 * result and in the service's health details.
 */
public record Capabilities(Capability decoding, Capability personDetection, Capability tracking,
        Capability actionScoring) {
}
