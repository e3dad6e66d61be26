package dev.mlsuite.detox.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mlsuite.detox.generation.GenerationOutcome;
import dev.mlsuite.detox.generation.Steering;
import java.util.Arrays;
import java.util.List;

/**
 * Result of one generation; {@code toxicity} is the scorer's probability for the generated text.
 *
 * @param decodedBy with {@code detox.split.enabled}: base URL of the decode instance that generated the
 *     tokens after the first, or {@code local}; absent otherwise
 */
public record GenerationResponse(String id, String text, List<Integer> tokens, String finishReason, double toxicity,
        SteeringView steering, Timings timings, @JsonInclude(JsonInclude.Include.NON_NULL) String decodedBy) {

    /** Steering that was applied. */
    public record SteeringView(String tier, float strength, List<Integer> features, boolean scaleByActivation) {

        public static SteeringView of(Steering steering) {
            return new SteeringView(steering.tier(), steering.strength(),
                    Arrays.stream(steering.features()).boxed().toList(), steering.scaleByActivation());
        }
    }

    /** Milliseconds of the prompt pass (with the first token), of all decoding steps, and in total. */
    public record Timings(double prefillMillis, double decodeMillis, double totalMillis, int promptTokens) {
    }

    static GenerationResponse of(GenerationOutcome outcome) {
        return new GenerationResponse(outcome.id().toString(), outcome.text(),
                Arrays.stream(outcome.tokens()).boxed().toList(), FinishReasons.name(outcome.finishReason()),
                outcome.toxicity(), SteeringView.of(outcome.steering()),
                new Timings(outcome.prefillMillis(), outcome.decodeMillis(), outcome.totalMillis(),
                        outcome.promptTokens()), outcome.decodedBy());
    }
}
