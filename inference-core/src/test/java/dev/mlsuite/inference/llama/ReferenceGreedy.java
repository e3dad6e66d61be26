package dev.mlsuite.inference.llama;

import java.io.IOException;
import java.io.UncheckedIOException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The float64 reference decoding of stories260K stored next to the model. */
public record ReferenceGreedy(int[] promptTokens, int[] greedyTokens, float[][] firstStepLogits) {

    public static ReferenceGreedy load() {
        try {
            JsonNode root = new ObjectMapper().readTree(Stories260K.REFERENCE.toFile());
            JsonNode logits = root.get("logits_first_steps");
            float[][] steps = new float[logits.size()][];
            for (int step = 0; step < steps.length; step++) {
                JsonNode row = logits.get(step);
                steps[step] = new float[row.size()];
                for (int i = 0; i < row.size(); i++) {
                    steps[step][i] = (float) row.get(i).asDouble();
                }
            }
            return new ReferenceGreedy(ints(root.get("prompt_tokens")), ints(root.get("greedy_tokens")), steps);
        } catch (tools.jackson.core.JacksonException e) {
            throw new UncheckedIOException(new IOException("Failed to read " + Stories260K.REFERENCE, e));
        }
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }
}
