package dev.mlsuite.detection.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import dev.mlsuite.detection.preprocessing.PreprocessingSettings;
import dev.mlsuite.detection.preprocessing.TextPreprocessor;
import dev.mlsuite.inference.bert.BertConfig;
import dev.mlsuite.inference.bert.BertEncoder;
import dev.mlsuite.inference.bert.Pooling;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.io.CheckpointException;
import dev.mlsuite.inference.io.Safetensors;
import dev.mlsuite.inference.io.TensorSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Hugging Face {@code BertForSequenceClassification} checkpoint used as detector: {@code config.json}
 * with {@code id2label}, {@code model.safetensors} (or a sharded index) and {@code tokenizer.json}.
 *
 * <p>Each token window runs through the encoder, then the checkpoint's pooler
 * ({@code tanh(bert.pooler.dense(h_CLS))}) and classifier; the softmax probability of the AI label
 * is averaged over the windows of a text.
 */
public final class SequenceClassifierDetector implements TextDetector {

    /** Labels taken to mean "AI-generated" when no label is configured, compared in lower case. */
    static final Set<String> AI_LABEL_NAMES = Set.of("ai", "fake", "generated", "ai-generated", "machine",
            "machine-generated", "chatgpt", "gpt");
    /** Labels taken to mean "human-written" in two-label checkpoints, compared in lower case. */
    static final Set<String> HUMAN_LABEL_NAMES = Set.of("human", "real", "human-written");

    static final String POOLER_WEIGHT = "bert.pooler.dense.weight";
    static final String POOLER_BIAS = "bert.pooler.dense.bias";
    static final String CLASSIFIER_WEIGHT = "classifier.weight";
    static final String CLASSIFIER_BIAS = "classifier.bias";

    private final ModelIdentity identity;
    private final double threshold;
    private final TextPreprocessor preprocessor;
    private final WindowEncoder encoder;
    private final int aiLabelIndex;
    private final int hiddenSize;
    private final int labelCount;
    private final float[] poolerWeight; // [hidden, hidden]
    private final float[] poolerBias; // [hidden]
    private final float[] classifierWeight; // [labels, hidden]
    private final float[] classifierBias; // [labels]

    private SequenceClassifierDetector(ModelIdentity identity, double threshold, PreprocessingSettings preprocessing,
            WindowEncoder encoder, int aiLabelIndex, int labelCount, float[][] weights) {
        this.identity = identity;
        this.threshold = threshold;
        this.preprocessor = new TextPreprocessor(preprocessing);
        this.encoder = encoder;
        this.aiLabelIndex = aiLabelIndex;
        this.labelCount = labelCount;
        this.hiddenSize = encoder.encoder().config().hiddenSize();
        this.poolerWeight = weights[0];
        this.poolerBias = weights[1];
        this.classifierWeight = weights[2];
        this.classifierBias = weights[3];
    }

    /**
     * Loads a checkpoint folder.
     *
     * @param aiLabel name in {@code id2label} of the AI class; empty to pick a label named like
     *     {@link #AI_LABEL_NAMES}, or the non-human label of a two-label checkpoint
     * @param setting configuration key that chose the folder, named in errors
     * @param device where the encoder runs
     * @throws IOException when a file cannot be read
     * @throws CheckpointException when a file, tensor or label is missing or has the wrong shape
     */
    public static SequenceClassifierDetector load(Path directory, ChunkingSettings chunking,
            PreprocessingSettings preprocessing, Optional<String> aiLabel, double threshold, String setting,
            Device device) throws IOException {
        Map<Integer, String> labels = readLabels(directory.resolve("config.json"));
        int aiIndex = aiLabelIndex(labels, aiLabel, directory, setting);

        BertEncoder bert = BertEncoder.load(directory, device);
        WindowEncoder encoder;
        try {
            encoder = new WindowEncoder(bert, TokenWindows.load(directory.resolve("tokenizer.json"), chunking));
        } catch (IOException | RuntimeException e) {
            bert.close();
            throw e;
        }
        try {
            float[][] weights = readHeadWeights(directory, bert.config(), labels.size());
            String version = directory.toAbsolutePath().normalize().getFileName().toString();
            return new SequenceClassifierDetector(new ModelIdentity("bert-sequence-classifier", version), threshold,
                    preprocessing, encoder, aiIndex, labels.size(), weights);
        } catch (IOException | RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    static Map<Integer, String> readLabels(Path configFile) throws IOException {
        if (!Files.isRegularFile(configFile)) {
            throw new CheckpointException("model configuration not found: " + configFile.toAbsolutePath());
        }
        JsonNode id2label = JsonMapper.builder().build().readTree(configFile.toFile()).get("id2label");
        if (id2label == null || !id2label.isObject() || id2label.isEmpty()) {
            throw new CheckpointException(configFile.toAbsolutePath() + ": a sequence classifier needs a non-empty "
                    + "id2label object, such as {\"0\": \"human\", \"1\": \"ai\"}");
        }
        Map<Integer, String> labels = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : id2label.properties()) {
            labels.put(Integer.parseInt(entry.getKey()), entry.getValue().asString());
        }
        Iterator<Integer> ids = labels.keySet().iterator();
        for (int expected = 0; ids.hasNext(); expected++) {
            if (ids.next() != expected) {
                throw new CheckpointException(configFile.toAbsolutePath() + ": id2label ids must be 0.."
                        + (labels.size() - 1) + ", found " + labels.keySet());
            }
        }
        return labels;
    }

    static int aiLabelIndex(Map<Integer, String> labels, Optional<String> aiLabel, Path directory, String setting) {
        if (aiLabel.isPresent()) {
            for (Map.Entry<Integer, String> label : labels.entrySet()) {
                if (label.getValue().equalsIgnoreCase(aiLabel.get())) {
                    return label.getKey();
                }
            }
            throw new CheckpointException(directory.toAbsolutePath() + ": no label '" + aiLabel.get()
                    + "' in id2label " + labels.values() + ". Correct the option " + setting + ".ai-label.");
        }
        for (Map.Entry<Integer, String> label : labels.entrySet()) {
            if (AI_LABEL_NAMES.contains(label.getValue().toLowerCase(Locale.ROOT))) {
                return label.getKey();
            }
        }
        if (labels.size() == 2) {
            for (Map.Entry<Integer, String> label : labels.entrySet()) {
                if (HUMAN_LABEL_NAMES.contains(label.getValue().toLowerCase(Locale.ROOT))) {
                    return 1 - label.getKey();
                }
            }
        }
        throw new CheckpointException(directory.toAbsolutePath() + ": cannot tell which of the labels "
                + labels.values() + " means AI-generated. Set the option " + setting + ".ai-label.");
    }

    private static float[][] readHeadWeights(Path directory, BertConfig config, int labelCount) throws IOException {
        long hidden = config.hiddenSize();
        try (TensorSource source = Safetensors.open(directory);
                NDManager manager = NDManager.newBaseManager(InferenceEngine.ENGINE_NAME)) {
            return new float[][] {
                    load(source, POOLER_WEIGHT, manager, hidden, hidden),
                    load(source, POOLER_BIAS, manager, hidden),
                    load(source, CLASSIFIER_WEIGHT, manager, labelCount, hidden),
                    load(source, CLASSIFIER_BIAS, manager, labelCount)};
        }
    }

    private static float[] load(TensorSource source, String name, NDManager manager, long... shape) {
        if (!source.contains(name)) {
            throw new CheckpointException(source.description() + ": tensor " + name + " not found; a "
                    + "BertForSequenceClassification checkpoint has bert.pooler.dense.* and classifier.*");
        }
        long[] actual = source.info(name).shape().getShape();
        if (!Arrays.equals(actual, shape)) {
            throw new CheckpointException(source.description() + ": tensor " + name + " has shape "
                    + Arrays.toString(actual) + ", expected " + Arrays.toString(shape));
        }
        return source.load(name, manager).toType(DataType.FLOAT32, false).toFloatArray();
    }

    /** Returns the index of the AI label in {@code id2label}. */
    public int aiLabelIndex() {
        return aiLabelIndex;
    }

    @Override
    public ModelIdentity identity() {
        return identity;
    }

    @Override
    public double defaultThreshold() {
        return threshold;
    }

    /** Returns the encoder's parameters plus pooler and classifier. */
    @Override
    public long parameterCount() {
        return encoder.encoder().parameterCount() + poolerWeight.length + poolerBias.length
                + classifierWeight.length + classifierBias.length;
    }

    @Override
    public double[] probabilities(List<String> texts) {
        List<String> preprocessed = new ArrayList<>(texts.size());
        for (String text : texts) {
            preprocessed.add(preprocessor.apply(text));
        }
        List<float[][]> windows = encoder.encode(preprocessed, Pooling.CLS, false);
        double[] probabilities = new double[texts.size()];
        for (int text = 0; text < probabilities.length; text++) {
            double sum = 0;
            for (float[] cls : windows.get(text)) {
                sum += windowProbability(cls);
            }
            probabilities[text] = sum / windows.get(text).length;
        }
        return probabilities;
    }

    /** Returns the softmax probability of the AI label for one window's {@code [CLS]} state. */
    double windowProbability(float[] cls) {
        double[] pooled = new double[hiddenSize];
        for (int out = 0; out < hiddenSize; out++) {
            double sum = poolerBias[out];
            for (int in = 0; in < hiddenSize; in++) {
                sum += (double) poolerWeight[out * hiddenSize + in] * cls[in];
            }
            pooled[out] = Math.tanh(sum);
        }
        double[] logits = new double[labelCount];
        double max = Double.NEGATIVE_INFINITY;
        for (int label = 0; label < labelCount; label++) {
            double sum = classifierBias[label];
            for (int in = 0; in < hiddenSize; in++) {
                sum += (double) classifierWeight[label * hiddenSize + in] * pooled[in];
            }
            logits[label] = sum;
            max = Math.max(max, sum);
        }
        double total = 0;
        for (int label = 0; label < labelCount; label++) {
            total += Math.exp(logits[label] - max);
        }
        return Math.exp(logits[aiLabelIndex] - max) / total;
    }

    @Override
    public void close() {
        preprocessor.close();
        encoder.close();
    }
}
