package dev.mlsuite.detox.toxicity;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Probability that a text is toxic. Implementations are safe for concurrent calls.
 *
 * <p>The scorer folder contains one {@value #FILE_NAME} whose {@code type} field names the
 * implementation: {@value EmbeddingToxicityScorer#TYPE} (the default, a logistic head on
 * all-MiniLM-L6-v2 embeddings) or {@value BagOfWordsToxicityScorer#TYPE}.
 */
public interface ToxicityScorer extends AutoCloseable {

    /** File name of the scorer inside its model folder. */
    String FILE_NAME = "toxicity-scorer.json";
    /** Probability from which a text counts as toxic. */
    double TOXIC_THRESHOLD = 0.5;

    /** Returns the probability in [0, 1] that {@code text} is toxic. */
    double score(String text);

    /** Returns {@link #score} of each text, in order; implementations may batch the work. */
    default double[] scoreAll(List<String> texts) {
        double[] scores = new double[texts.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = score(texts.get(i));
        }
        return scores;
    }

    /** Returns a short description for logs, such as the kind of scorer and its size. */
    String description();

    /** Releases the native memory of the scorer. The default does nothing, for scorers without any. */
    @Override
    default void close() {
    }

    /**
     * Loads the scorer in {@code folder}, choosing the implementation by the file's {@code type}.
     *
     * @param device where an encoder-based scorer runs its encoder
     * @throws IOException when the file is missing, invalid or of an unknown type
     */
    static ToxicityScorer load(Path folder, Device device) throws IOException {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException("Toxicity scorer not found at " + file.toAbsolutePath());
        }
        JsonNode root = JsonMapper.builder().build().readTree(file.toFile());
        String type = root.path("type").asString("");
        return switch (type) {
            case EmbeddingToxicityScorer.TYPE -> EmbeddingToxicityScorer.fromJson(root, file, device);
            case BagOfWordsToxicityScorer.TYPE -> BagOfWordsToxicityScorer.fromJson(root, file);
            default -> throw new IOException("Unknown toxicity scorer type '" + type + "' in " + file.toAbsolutePath()
                    + "; expected " + EmbeddingToxicityScorer.TYPE + " or " + BagOfWordsToxicityScorer.TYPE);
        };
    }
}
