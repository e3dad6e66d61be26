package dev.mlsuite.detox.toxicity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Toxicity probability of a text from a logistic regression over the presence of lower-cased
 * words (bag of words), the light alternative to {@link EmbeddingToxicityScorer} that needs no
 * encoder. Thread-safe and immutable.
 *
 * <p>NOTE: a bag of words misses toxicity that is spelled out of vocabulary or carried by word
 * order; it ranks held-out comments worse than the MiniLM scorer (see the detox model card).
 */
public final class BagOfWordsToxicityScorer implements ToxicityScorer {

    /** Value of the {@code type} field in the scorer file. */
    public static final String TYPE = "bag-of-words-logistic-regression";

    private static final Pattern WORD = Pattern.compile("[a-z0-9']+");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, Integer> vocabulary;
    private final double[] weights;
    private final double bias;

    public BagOfWordsToxicityScorer(List<String> words, double[] weights, double bias) {
        if (words.size() != weights.length) {
            throw new IllegalArgumentException("The scorer has " + words.size() + " words but " + weights.length
                    + " weights");
        }
        this.vocabulary = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            vocabulary.put(words.get(i), i);
        }
        this.weights = weights.clone();
        this.bias = bias;
    }

    /** Returns the distinct lower-cased words of {@code text} in order of first occurrence. */
    public static Set<String> words(String text) {
        Set<String> words = new LinkedHashSet<>();
        Matcher matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (matcher.find()) {
            words.add(matcher.group());
        }
        return words;
    }

    /** Returns the indices of the vocabulary words present in {@code text}. */
    public int[] features(String text) {
        List<Integer> present = new ArrayList<>();
        for (String word : words(text)) {
            Integer index = vocabulary.get(word);
            if (index != null) {
                present.add(index);
            }
        }
        return present.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public double score(String text) {
        double logit = bias;
        for (int index : features(text)) {
            logit += weights[index];
        }
        return 1.0 / (1.0 + Math.exp(-logit));
    }

    public int vocabularySize() {
        return weights.length;
    }

    @Override
    public String description() {
        return "bag of words, " + weights.length + " words";
    }

    /** Writes the scorer as JSON: {@code words}, {@code weights} (same order) and {@code bias}. */
    public void save(Path file, Map<String, Object> metadata) throws IOException {
        String[] words = new String[weights.length];
        vocabulary.forEach((word, index) -> words[index] = word);
        ObjectNode root = JSON.createObjectNode();
        root.put("type", TYPE);
        root.set("metadata", JSON.valueToTree(metadata));
        root.put("bias", bias);
        ArrayNode wordArray = root.putArray("words");
        ArrayNode weightArray = root.putArray("weights");
        for (int i = 0; i < words.length; i++) {
            wordArray.add(words[i]);
            weightArray.add(Math.round(weights[i] * 1e5) / 1e5);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    /**
     * Reads a scorer written by {@link #save}.
     *
     * @throws IOException when the file is missing or not a scorer
     */
    public static BagOfWordsToxicityScorer load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Toxicity scorer not found at " + file.toAbsolutePath());
        }
        return fromJson(JSON.readTree(file.toFile()), file);
    }

    static BagOfWordsToxicityScorer fromJson(JsonNode root, Path file) throws IOException {
        JsonNode words = root.path("words");
        JsonNode weights = root.path("weights");
        if (!words.isArray() || !weights.isArray() || !root.has("bias")) {
            throw new IOException("Invalid toxicity scorer " + file.toAbsolutePath()
                    + ": expected the arrays 'words' and 'weights' and the number 'bias'");
        }
        List<String> wordList = new ArrayList<>(words.size());
        double[] weightArray = new double[weights.size()];
        for (int i = 0; i < words.size(); i++) {
            wordList.add(words.get(i).asString());
        }
        for (int i = 0; i < weights.size(); i++) {
            weightArray[i] = weights.get(i).asDouble();
        }
        return new BagOfWordsToxicityScorer(wordList, weightArray, root.get("bias").asDouble());
    }
}
