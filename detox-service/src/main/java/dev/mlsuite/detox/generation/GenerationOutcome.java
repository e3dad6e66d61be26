package dev.mlsuite.detox.generation;

import dev.mlsuite.inference.generation.FinishReason;
import java.util.UUID;

/**
 * A finished generation with its toxicity and timings.
 *
 * @param prefillMillis time until the first token, which includes waiting for the decode loop when split is enabled
 * @param decodedBy base URL of the decode instance, {@code local}, or null when the split roles are disabled
 */
public record GenerationOutcome(UUID id, String text, int[] tokens, int promptTokens, FinishReason finishReason,
        double toxicity, Steering steering, double prefillMillis, double decodeMillis, double totalMillis,
        String decodedBy) {
}
