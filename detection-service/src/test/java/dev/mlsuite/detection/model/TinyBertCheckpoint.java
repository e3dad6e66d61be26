package dev.mlsuite.detection.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.io.Safetensors;

/**
 * Writes a small {@code BertForSequenceClassification} checkpoint in the Hugging Face layout with
 * random weights: 2 layers, hidden size 8, a 24-word WordPiece vocabulary.
 */
final class TinyBertCheckpoint {

    static final int HIDDEN = 8;
    static final int LAYERS = 2;
    static final int INTERMEDIATE = 16;
    static final int MAX_POSITIONS = 16;
    static final List<String> VOCABULARY = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "a", "essay",
            "student", "wrote", "model", "generated", "this", "text", "is", "about", "school", "and", "computers",
            "people", "write", "##s", ".", ",", "good");

    private TinyBertCheckpoint() {
    }

    /**
     * Writes {@code config.json}, {@code model.safetensors} and {@code tokenizer.json} into {@code directory}.
     *
     * @param id2label labels in id order
     * @param classifierBias bias of the classifier, one per label; the classifier weight is zero when
     *     {@code zeroClassifierWeight} is true, so the probabilities are then softmax(classifierBias)
     */
    static void write(Path directory, List<String> id2label, float[] classifierBias, boolean zeroClassifierWeight,
            long seed) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("config.json"), config(id2label));
        Files.writeString(directory.resolve("tokenizer.json"), tokenizer());

        Random random = new Random(seed);
        try (NDManager manager = NDManager.newBaseManager(InferenceEngine.ENGINE_NAME)) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            tensors.put("bert.embeddings.word_embeddings.weight", randomArray(manager, random, VOCABULARY.size(), HIDDEN));
            tensors.put("bert.embeddings.position_embeddings.weight", randomArray(manager, random, MAX_POSITIONS, HIDDEN));
            tensors.put("bert.embeddings.token_type_embeddings.weight", randomArray(manager, random, 2, HIDDEN));
            tensors.put("bert.embeddings.LayerNorm.weight", manager.ones(new Shape(HIDDEN)));
            tensors.put("bert.embeddings.LayerNorm.bias", manager.zeros(new Shape(HIDDEN)));
            for (int layer = 0; layer < LAYERS; layer++) {
                String prefix = "bert.encoder.layer." + layer + ".";
                for (String projection : List.of("attention.self.query", "attention.self.key", "attention.self.value",
                        "attention.output.dense")) {
                    tensors.put(prefix + projection + ".weight", randomArray(manager, random, HIDDEN, HIDDEN));
                    tensors.put(prefix + projection + ".bias", randomArray(manager, random, HIDDEN));
                }
                tensors.put(prefix + "attention.output.LayerNorm.weight", manager.ones(new Shape(HIDDEN)));
                tensors.put(prefix + "attention.output.LayerNorm.bias", manager.zeros(new Shape(HIDDEN)));
                tensors.put(prefix + "intermediate.dense.weight", randomArray(manager, random, INTERMEDIATE, HIDDEN));
                tensors.put(prefix + "intermediate.dense.bias", randomArray(manager, random, INTERMEDIATE));
                tensors.put(prefix + "output.dense.weight", randomArray(manager, random, HIDDEN, INTERMEDIATE));
                tensors.put(prefix + "output.dense.bias", randomArray(manager, random, HIDDEN));
                tensors.put(prefix + "output.LayerNorm.weight", manager.ones(new Shape(HIDDEN)));
                tensors.put(prefix + "output.LayerNorm.bias", manager.zeros(new Shape(HIDDEN)));
            }
            tensors.put("bert.pooler.dense.weight", randomArray(manager, random, HIDDEN, HIDDEN));
            tensors.put("bert.pooler.dense.bias", randomArray(manager, random, HIDDEN));
            tensors.put("classifier.weight", zeroClassifierWeight
                    ? manager.zeros(new Shape(id2label.size(), HIDDEN))
                    : randomArray(manager, random, id2label.size(), HIDDEN));
            tensors.put("classifier.bias", manager.create(classifierBias));
            Safetensors.write(directory.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        }
    }

    private static NDArray randomArray(NDManager manager, Random random, long... shape) {
        Shape arrayShape = new Shape(shape);
        float[] values = new float[(int) arrayShape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * 0.5);
        }
        return manager.create(values, arrayShape);
    }

    private static String config(List<String> id2label) {
        StringBuilder labels = new StringBuilder();
        StringBuilder label2id = new StringBuilder();
        for (int i = 0; i < id2label.size(); i++) {
            String separator = i == 0 ? "" : ", ";
            labels.append(separator).append('"').append(i).append("\": \"").append(id2label.get(i)).append('"');
            label2id.append(separator).append('"').append(id2label.get(i)).append("\": ").append(i);
        }
        return """
                {
                  "architectures": ["BertForSequenceClassification"],
                  "model_type": "bert",
                  "vocab_size": %d,
                  "hidden_size": %d,
                  "num_hidden_layers": %d,
                  "num_attention_heads": 2,
                  "intermediate_size": %d,
                  "hidden_act": "gelu",
                  "max_position_embeddings": %d,
                  "type_vocab_size": 2,
                  "layer_norm_eps": 1e-12,
                  "pad_token_id": 0,
                  "id2label": {%s},
                  "label2id": {%s}
                }
                """.formatted(VOCABULARY.size(), HIDDEN, LAYERS, INTERMEDIATE, MAX_POSITIONS, labels, label2id);
    }

    private static String tokenizer() {
        StringBuilder vocabulary = new StringBuilder();
        for (int i = 0; i < VOCABULARY.size(); i++) {
            vocabulary.append(i == 0 ? "" : ", ").append('"').append(VOCABULARY.get(i)).append("\": ").append(i);
        }
        StringBuilder added = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            added.append(i == 0 ? "" : ", ").append("""
                    {"id": %d, "content": "%s", "single_word": false, "lstrip": false, "rstrip": false, \
                    "normalized": false, "special": true}""".formatted(i, VOCABULARY.get(i)));
        }
        return """
                {
                  "version": "1.0",
                  "truncation": null,
                  "padding": null,
                  "added_tokens": [%s],
                  "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
                                 "strip_accents": null, "lowercase": true},
                  "pre_tokenizer": {"type": "BertPreTokenizer"},
                  "post_processor": {
                    "type": "TemplateProcessing",
                    "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                               {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                    "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                             {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                             {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
                    "special_tokens": {
                      "[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                      "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}
                    }
                  },
                  "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
                  "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                            "max_input_chars_per_word": 100, "vocab": {%s}}
                }
                """.formatted(added, vocabulary);
    }
}
