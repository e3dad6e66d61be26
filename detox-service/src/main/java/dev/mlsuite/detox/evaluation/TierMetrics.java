package dev.mlsuite.detox.evaluation;

/**
 * Evaluation results of one steering tier on one group of prompts.
 *
 * @param meanToxicity mean scorer probability of the continuations
 * @param toxicShare share of continuations scored at or above the toxic threshold
 * @param perplexity exp of the mean per-token negative log-likelihood of the continuations under
 *     the unsteered model, given their prompts
 * @param distinct2 distinct token bigrams over all bigrams of the continuations
 */
public record TierMetrics(String tier, float strength, String promptGroup, int samples, double meanToxicity,
        double toxicShare, double perplexity, double distinct2) {
}
