package dev.mlsuite.detox.toxicity;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Toxicity probability of a text from a logistic regression on its all-MiniLM-L6-v2 embedding
 * (mean-pooled, L2-normalised, text truncated to the file's {@code maxTokens}). The head is a few
 * kilobytes of JSON; the encoder comes from the classpath. Safe for concurrent calls.
 */
public final class EmbeddingToxicityScorer implements ToxicityScorer {

    /** Value of the {@code type} field in the scorer file. */
    public static final String TYPE = "minilm-logistic-regression";
    /** The encoder whose embeddings the head reads. */
    public static final String ENCODER = "sentence-transformers/all-MiniLM-L6-v2";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final MiniLmEmbedder embedder;
    private final double[] weights;
    private final double bias;

    /** Takes ownership of {@code embedder}, which {@link #close()} closes. */
    public EmbeddingToxicityScorer(MiniLmEmbedder embedder, double[] weights, double bias) {
        if (weights.length != embedder.dimension()) {
            throw new IllegalArgumentException("The head has " + weights.length + " weights but the encoder's"
                    + " embeddings have " + embedder.dimension() + " dimensions");
        }
        this.embedder = embedder;
        this.weights = weights.clone();
        this.bias = bias;
    }

    /** Returns the logistic probability of one embedding under a head of {@code weights} and {@code bias}. */
    public static double probability(float[] embedding, double[] weights, double bias) {
        double logit = bias;
        for (int i = 0; i < weights.length; i++) {
            logit += weights[i] * embedding[i];
        }
        return 1.0 / (1.0 + Math.exp(-logit));
    }

    @Override
    public double score(String text) {
        return scoreAll(List.of(text))[0];
    }

    @Override
    public double[] scoreAll(List<String> texts) {
        float[][] embeddings = embedder.embed(texts);
        double[] scores = new double[texts.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = probability(embeddings[i], weights, bias);
        }
        return scores;
    }

    @Override
    public String description() {
        return "logistic head on " + ENCODER + " embeddings, " + embedder.maxTokens() + " tokens";
    }

    @Override
    public void close() {
        embedder.close();
    }

    /**
     * Writes a head as JSON: {@code type}, {@code encoder}, {@code maxTokens}, {@code bias},
     * {@code weights} (one per embedding dimension) and free-form {@code metadata}.
     */
    public static void save(Path file, int maxTokens, double[] weights, double bias, Map<String, Object> metadata)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", TYPE);
        root.put("encoder", ENCODER);
        root.put("maxTokens", maxTokens);
        root.set("metadata", JSON.valueToTree(metadata));
        root.put("bias", bias);
        ArrayNode weightArray = root.putArray("weights");
        for (double weight : weights) {
            weightArray.add(weight);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    static EmbeddingToxicityScorer fromJson(JsonNode root, Path file, Device device) throws IOException {
        JsonNode weightArray = root.path("weights");
        if (!weightArray.isArray() || !root.path("bias").isNumber() || !root.path("maxTokens").isInt()) {
            throw new IOException("Invalid toxicity scorer " + file.toAbsolutePath()
                    + ": expected the array 'weights', the number 'bias' and the integer 'maxTokens'");
        }
        double[] weights = new double[weightArray.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = weightArray.get(i).asDouble();
        }
        MiniLmEmbedder embedder = MiniLmEmbedder.load(device, root.get("maxTokens").asInt());
        try {
            return new EmbeddingToxicityScorer(embedder, weights, root.get("bias").asDouble());
        } catch (RuntimeException e) {
            embedder.close();
            throw new IOException("Invalid toxicity scorer " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
