package dev.mlsuite.detox.api;

import dev.mlsuite.detox.generation.GenerationOutcome;
import java.util.Arrays;
import java.util.List;

/** Result of one generation; {@code toxicity} is the scorer's probability for the generated text. */
public record GenerationResponse(String id, String text, List<Integer> tokens, String finishReason, double toxicity,
        SteeringView steering, Timings timings) {

    /** Steering that was applied. */
    public record SteeringView(String tier, float strength, List<Integer> features, boolean scaleByActivation) {
    }

    /** Milliseconds of the prompt pass (with the first token), of all decoding steps, and in total. */
    public record Timings(double prefillMillis, double decodeMillis, double totalMillis, int promptTokens) {
    }

    static GenerationResponse of(GenerationOutcome outcome) {
        return new GenerationResponse(outcome.id().toString(), outcome.text(),
                Arrays.stream(outcome.tokens()).boxed().toList(), FinishReasons.name(outcome.finishReason()),
                outcome.toxicity(),
                new SteeringView(outcome.steering().tier(), outcome.steering().strength(),
                        Arrays.stream(outcome.steering().features()).boxed().toList(),
                        outcome.steering().scaleByActivation()),
                new Timings(outcome.prefillMillis(), outcome.decodeMillis(), outcome.totalMillis(),
                        outcome.promptTokens()));
    }
}
