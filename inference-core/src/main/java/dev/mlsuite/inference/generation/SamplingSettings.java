package dev.mlsuite.inference.generation;

import java.util.List;
import java.util.Objects;

/**
 * Token selection and stop conditions of one sequence.
 *
 * @param maxTokens maximum number of generated tokens, at least 1
 * @param temperature divisor of the logits; 0 means greedy decoding (always the most likely token)
 * @param topK keep only the {@code topK} most likely tokens before sampling; 0 keeps all
 * @param topP keep the smallest set of most likely tokens whose probabilities sum to at least
 *     {@code topP} (nucleus sampling); 1 keeps all
 * @param repetitionPenalty divides positive and multiplies negative logits of every token already in
 *     the prompt or output, as in the CTRL paper and Hugging Face {@code transformers}; 1 disables it
 * @param seed seed of the sampler's random numbers; equal seeds and inputs give equal tokens
 * @param stopStrings generation stops when the text contains one of them, and the text ends before it
 */
public record SamplingSettings(
        int maxTokens, float temperature, int topK, float topP, float repetitionPenalty, long seed,
        List<String> stopStrings) {

    public static final int DEFAULT_MAX_TOKENS = 128;
    public static final float DEFAULT_TEMPERATURE = 1.0f;
    public static final int MAX_STOP_STRINGS = 16;

    public SamplingSettings {
        Objects.requireNonNull(stopStrings, "stopStrings");
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, got " + maxTokens);
        }
        if (!(temperature >= 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 disables it), got " + topK);
        }
        if (!(topP > 0f && topP <= 1f)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (!(repetitionPenalty > 0f) || Float.isInfinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetitionPenalty must be a finite number > 0, got " + repetitionPenalty);
        }
        if (stopStrings.size() > MAX_STOP_STRINGS) {
            throw new IllegalArgumentException("At most " + MAX_STOP_STRINGS + " stop strings are allowed, got "
                    + stopStrings.size());
        }
        for (String stop : stopStrings) {
            if (stop == null || stop.isEmpty()) {
                throw new IllegalArgumentException("Stop strings must not be empty");
            }
        }
        stopStrings = List.copyOf(stopStrings);
    }

    /** Returns settings for greedy decoding of up to {@code maxTokens} tokens. */
    public static SamplingSettings greedy(int maxTokens) {
        return builder().maxTokens(maxTokens).temperature(0f).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isGreedy() {
        return temperature == 0f;
    }

    /** Builder with defaults: 128 tokens, temperature 1, no top-k, top-p 1, no penalty, seed 0. */
    public static final class Builder {

        private int maxTokens = DEFAULT_MAX_TOKENS;
        private float temperature = DEFAULT_TEMPERATURE;
        private int topK;
        private float topP = 1f;
        private float repetitionPenalty = 1f;
        private long seed;
        private List<String> stopStrings = List.of();

        private Builder() {
        }

        public Builder maxTokens(int value) {
            this.maxTokens = value;
            return this;
        }

        public Builder temperature(float value) {
            this.temperature = value;
            return this;
        }

        public Builder topK(int value) {
            this.topK = value;
            return this;
        }

        public Builder topP(float value) {
            this.topP = value;
            return this;
        }

        public Builder repetitionPenalty(float value) {
            this.repetitionPenalty = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder stopStrings(List<String> value) {
            this.stopStrings = value;
            return this;
        }

        public SamplingSettings build() {
            return new SamplingSettings(maxTokens, temperature, topK, topP, repetitionPenalty, seed, stopStrings);
        }
    }
}
