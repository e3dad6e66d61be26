package dev.mlsuite.vision.action;

/**
 * Score of one action label for one person tube.
 *
 * @param label the free-text action label as the request sent it
 * @param score similarity of the tube to the label, higher is more likely; the range depends on the scorer
 */
public record ActionScore(String label, double score) {
}
