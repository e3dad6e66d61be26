package dev.mlsuite.inference.generation;

/**
 * Output of one finished generation.
 *
 * @param text generated text, without the prompt and without a matched stop string
 * @param tokens generated token ids, without the prompt and without a final end-of-sequence token
 * @param promptTokens number of prompt tokens, BOS included
 * @param prefillNanos time of the prefill step, which also samples the first token
 * @param decodeNanos time of all decode steps
 */
public record GenerationResult(
        String text, int[] tokens, int promptTokens, FinishReason finishReason, long prefillNanos, long decodeNanos) {
}
