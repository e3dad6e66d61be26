package dev.mlsuite.detection.model;

/**
 * Probabilities of "AI-generated" for one document.
 *
 * @param probability of the whole document
 * @param sentenceProbabilities one per sentence of the input, in input order
 * @param modelMillis wall time of the batch that contained this document, in milliseconds
 */
public record DocumentScores(double probability, double[] sentenceProbabilities, double modelMillis) {
}
