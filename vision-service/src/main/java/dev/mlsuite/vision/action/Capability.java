package dev.mlsuite.vision.action;

/**
 * Whether one stage of the action-detection pipeline runs, and with what.
 *
 * @param active         true when the stage runs and contributes to results
 * @param implementation the library, model or algorithm behind the stage
 * @param detail         settings in effect when active, or why the stage is off and how to turn it on
 */
public record Capability(boolean active, String implementation, String detail) {
}
