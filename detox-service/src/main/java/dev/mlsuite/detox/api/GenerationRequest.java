package dev.mlsuite.detox.api;

import java.util.List;

/**
 * Body of {@code POST /v1/generations}; absent fields take the service defaults.
 *
 * @param maxTokens maximum generated tokens
 * @param temperature 0 is greedy decoding
 * @param topP nucleus sampling mass in (0, 1]
 * @param topK 0 keeps all tokens
 * @param seed sampler seed; equal seeds, prompts and settings give equal text
 */
public record GenerationRequest(String prompt, Integer maxTokens, Float temperature, Float topP, Integer topK,
        Long seed, SteeringRequest steering) {

    /**
     * Steering: either a {@code tier} ({@code none, low, medium, high}) or an explicit {@code strength};
     * {@code features} replaces the service's toxicity features.
     */
    public record SteeringRequest(String tier, Float strength, List<Integer> features, Boolean scaleByActivation) {
    }
}
