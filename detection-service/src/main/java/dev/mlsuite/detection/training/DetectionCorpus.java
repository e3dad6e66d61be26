package dev.mlsuite.detection.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The human and GPT-written essays of Liang et al., "GPT detectors are biased against non-native
 * English writers" (repository Weixin-Liang/ChatGPT-Detector-Bias, folder {@code Data_and_Results}).
 *
 * <p>Each set is a folder with {@code data.json} (a list of {@code {"document": ...}}) and
 * {@code HFOpenAI.json} (the same documents in the same order with a {@code score}).
 */
public final class DetectionCorpus {

    static final String HUMAN_FOLDER = "Human_Data";
    static final String AI_FOLDER = "GPT_Data";
    static final List<String> GPT_REWRITTEN_SETS = List.of("HewlettStudentEssay_GPTsimplify_88", "TOEFL_gpt4polished_91");

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final List<CorpusDocument> documents;

    private DetectionCorpus(List<CorpusDocument> documents) {
        this.documents = List.copyOf(documents);
    }

    /**
     * Reads every set below {@code dataDirectory}: {@code Human_Data/*_real_*} as human,
     * {@code GPT_Data/*} as AI and the two GPT-rewritten human sets as their own group.
     *
     * @throws IOException when a folder or file is missing, or the two JSON files of a set disagree
     */
    public static DetectionCorpus load(Path dataDirectory) throws IOException {
        List<CorpusDocument> documents = new ArrayList<>();
        for (Path set : setFolders(dataDirectory.resolve(HUMAN_FOLDER))) {
            String name = set.getFileName().toString();
            if (GPT_REWRITTEN_SETS.contains(name)) {
                documents.addAll(readSet(set, DocumentGroup.GPT_REWRITTEN));
            } else if (name.contains("_real_")) {
                documents.addAll(readSet(set, DocumentGroup.HUMAN));
            }
        }
        for (Path set : setFolders(dataDirectory.resolve(AI_FOLDER))) {
            documents.addAll(readSet(set, DocumentGroup.AI));
        }
        return new DetectionCorpus(documents);
    }

    private static List<Path> setFolders(Path parent) throws IOException {
        if (!Files.isDirectory(parent)) {
            throw new IOException("Corpus folder not found: " + parent.toAbsolutePath()
                    + ". Pass the folder that contains " + HUMAN_FOLDER + " and " + AI_FOLDER + ".");
        }
        try (Stream<Path> children = Files.list(parent)) {
            return children.filter(Files::isDirectory).sorted(Comparator.comparing(Path::toString)).toList();
        }
    }

    private static List<CorpusDocument> readSet(Path set, DocumentGroup group) throws IOException {
        String name = set.getFileName().toString();
        JsonNode data = readJson(set.resolve("data.json"));
        JsonNode scores = readJson(set.resolve("HFOpenAI.json"));
        if (data.size() != scores.size()) {
            throw new IOException(name + ": data.json has " + data.size() + " documents but HFOpenAI.json has "
                    + scores.size());
        }

        List<CorpusDocument> documents = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            String text = data.get(i).get("document").asString();
            JsonNode scored = scores.get(i);
            if (!text.equals(scored.get("document").asString())) {
                throw new IOException(name + ": document " + i + " of data.json differs from HFOpenAI.json");
            }
            // HFOpenAI.json stores the score as a string, e.g. "0.8449961543083191".
            double score = Double.parseDouble(scored.get("score").asString());
            documents.add(new CorpusDocument(name, i, group, text, score));
        }
        return documents;
    }

    private static JsonNode readJson(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Corpus file not found: " + file.toAbsolutePath());
        }
        return JSON.readTree(file.toFile());
    }

    public List<CorpusDocument> documents() {
        return documents;
    }

    /** Returns the documents of one group in corpus order. */
    public List<CorpusDocument> group(DocumentGroup group) {
        return documents.stream().filter(document -> document.group() == group).toList();
    }

    /**
     * Splits the human and AI documents into training and test parts, stratified by source set:
     * each set is shuffled with {@code new Random(seed)} and its first {@code round(trainFraction * n)}
     * documents go to training. The GPT-rewritten group is in neither part.
     */
    public CorpusSplit split(double trainFraction, long seed) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("trainFraction must be in (0, 1), found " + trainFraction);
        }
        Map<String, List<CorpusDocument>> bySet = documents.stream()
                .filter(document -> document.group() != DocumentGroup.GPT_REWRITTEN)
                .collect(Collectors.groupingBy(CorpusDocument::sourceSet, LinkedHashMap::new, Collectors.toList()));

        Random random = new Random(seed);
        List<CorpusDocument> train = new ArrayList<>();
        List<CorpusDocument> test = new ArrayList<>();
        for (List<CorpusDocument> set : bySet.values()) {
            List<CorpusDocument> shuffled = new ArrayList<>(set);
            java.util.Collections.shuffle(shuffled, random);
            int trainCount = (int) Math.round(trainFraction * shuffled.size());
            train.addAll(shuffled.subList(0, trainCount));
            test.addAll(shuffled.subList(trainCount, shuffled.size()));
        }
        return new CorpusSplit(train, test, group(DocumentGroup.GPT_REWRITTEN));
    }
}
