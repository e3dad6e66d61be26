package dev.mlsuite.detox.generation;

import dev.mlsuite.inference.generation.FinishReason;
import java.util.UUID;

/** A finished generation with its toxicity and timings. */
public record GenerationOutcome(UUID id, String text, int[] tokens, int promptTokens, FinishReason finishReason,
        double toxicity, Steering steering, double prefillMillis, double decodeMillis, double totalMillis) {
}
