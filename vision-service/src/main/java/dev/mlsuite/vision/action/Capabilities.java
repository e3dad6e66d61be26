package dev.mlsuite.vision.action;

import java.util.Map;

/**
 * The stages of the action-detection pipeline and whether each one runs; reported with every
 * result and in the service's health details.
 *
 * @param actionScoringComponents the parts of the action scorer (for ST-CLIP: encoders, person tokens and
 *                                each head), each active only when it changes the scores
 */
public record Capabilities(Capability decoding, Capability personDetection, Capability tracking,
        Capability actionScoring, Map<String, Capability> actionScoringComponents) {
}
