package dev.mlsuite.inference.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Writes a small CLIP checkpoint with random weights in the Hugging Face {@code CLIPModel} layout
 * ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json}), for tests and for trying the
 * loading and scoring path without a pretrained model. Its scores carry no meaning.
 *
 * <p>The tokenizer is a word-level {@code tokenizer.json} over the given words (lower-cased, split on
 * whitespace and punctuation), with {@code <|startoftext|>} first and {@code <|endoftext|>} last, so
 * the end-of-text token has the largest id as in OpenAI's vocabulary.
 *
 * @param textHidden     width of the text tower
 * @param visionHidden   width of the vision tower
 * @param layers         transformer layers of each tower
 * @param heads          attention heads of each tower
 * @param imageSize      input image side, in pixels
 * @param patchSize      patch side, in pixels
 * @param projectionDim  width of the joint embedding space
 * @param maxTokens      {@code max_position_embeddings} of the text tower
 */
public record RandomClipCheckpoint(int textHidden, int visionHidden, int layers, int heads, int imageSize,
        int patchSize, int projectionDim, int maxTokens) {

    /** Returns a small shape: widths 32, 2 layers, 2 heads, 32x32 images of 8x8 patches, 16 tokens. */
    public static RandomClipCheckpoint tiny() {
        return new RandomClipCheckpoint(32, 32, 2, 2, 32, 8, 16, 16);
    }

    /**
     * Writes the checkpoint into {@code directory}, creating it.
     *
     * @param words the tokenizer vocabulary; other words map to {@code <|unk|>}
     * @param seed  seed of the normal-distributed weights, so equal seeds give equal files
     */
    public void write(Path directory, List<String> words, long seed) throws IOException {
        Files.createDirectories(directory);
        List<String> vocabulary = vocabulary(words);
        Files.writeString(directory.resolve("config.json"), config(vocabulary.size()));
        Files.writeString(directory.resolve(ClipModel.TOKENIZER_FILE_NAME), tokenizerJson(vocabulary));

        Random random = new Random(seed);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            int grid = imageSize / patchSize;
            String vision = "vision_model.";
            tensors.put(vision + "embeddings.patch_embedding.weight",
                    normal(manager, random, 0.02, visionHidden, 3, patchSize, patchSize));
            tensors.put(vision + "embeddings.class_embedding", normal(manager, random, 0.02, visionHidden));
            tensors.put(vision + "embeddings.position_embedding.weight",
                    normal(manager, random, 0.02, grid * grid + 1, visionHidden));
            putLayerNorm(tensors, manager, vision + "pre_layrnorm", visionHidden);
            putLayers(tensors, manager, random, vision, visionHidden);
            putLayerNorm(tensors, manager, vision + "post_layernorm", visionHidden);
            tensors.put("visual_projection.weight", normal(manager, random, 0.05, projectionDim, visionHidden));

            String text = "text_model.";
            tensors.put(text + "embeddings.token_embedding.weight",
                    normal(manager, random, 0.02, vocabulary.size(), textHidden));
            tensors.put(text + "embeddings.position_embedding.weight",
                    normal(manager, random, 0.01, maxTokens, textHidden));
            putLayers(tensors, manager, random, text, textHidden);
            putLayerNorm(tensors, manager, text + "final_layer_norm", textHidden);
            tensors.put("text_projection.weight", normal(manager, random, 0.05, projectionDim, textHidden));
            tensors.put("logit_scale", manager.create(new float[] {(float) Math.log(1 / 0.07)}, new Shape()));
            Safetensors.write(directory.resolve(Safetensors.SINGLE_FILE_NAME), tensors, Map.of("format", "pt"));
        }
    }

    private void putLayers(Map<String, NDArray> tensors, NDManager manager, Random random, String tower, int hidden) {
        int intermediate = 4 * hidden;
        for (int i = 0; i < layers; i++) {
            String prefix = tower + "encoder.layers." + i + ".";
            for (String projection : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                tensors.put(prefix + "self_attn." + projection + ".weight",
                        normal(manager, random, 0.1, hidden, hidden));
                tensors.put(prefix + "self_attn." + projection + ".bias", normal(manager, random, 0.01, hidden));
            }
            putLayerNorm(tensors, manager, prefix + "layer_norm1", hidden);
            tensors.put(prefix + "mlp.fc1.weight", normal(manager, random, 0.1, intermediate, hidden));
            tensors.put(prefix + "mlp.fc1.bias", normal(manager, random, 0.01, intermediate));
            tensors.put(prefix + "mlp.fc2.weight", normal(manager, random, 0.1, hidden, intermediate));
            tensors.put(prefix + "mlp.fc2.bias", normal(manager, random, 0.01, hidden));
            putLayerNorm(tensors, manager, prefix + "layer_norm2", hidden);
        }
    }

    private static void putLayerNorm(Map<String, NDArray> tensors, NDManager manager, String module, int size) {
        tensors.put(module + ".weight", manager.ones(new Shape(size)));
        tensors.put(module + ".bias", manager.zeros(new Shape(size)));
    }

    private static NDArray normal(NDManager manager, Random random, double std, long... shape) {
        Shape arrayShape = new Shape(shape);
        float[] values = new float[Math.toIntExact(arrayShape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return manager.create(values, arrayShape);
    }

    private static List<String> vocabulary(List<String> words) {
        Set<String> unique = new LinkedHashSet<>();
        for (String phrase : words) {
            for (String word : phrase.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                if (!word.isEmpty()) {
                    unique.add(word);
                }
            }
        }
        List<String> vocabulary = new ArrayList<>();
        vocabulary.add("<|startoftext|>");
        vocabulary.add("<|unk|>");
        vocabulary.addAll(unique);
        vocabulary.add("<|endoftext|>");
        return vocabulary;
    }

    private String config(int vocabSize) {
        return String.format(Locale.ROOT, """
                {"architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": %d,
                 "logit_scale_init_value": 2.6592,
                 "text_config": {"hidden_size": %d, "intermediate_size": %d, "num_hidden_layers": %d,
                   "num_attention_heads": %d, "max_position_embeddings": %d, "vocab_size": %d,
                   "hidden_act": "quick_gelu", "layer_norm_eps": 1e-5},
                 "vision_config": {"hidden_size": %d, "intermediate_size": %d, "num_hidden_layers": %d,
                   "num_attention_heads": %d, "image_size": %d, "patch_size": %d, "num_channels": 3,
                   "hidden_act": "quick_gelu", "layer_norm_eps": 1e-5}}
                """, projectionDim, textHidden, 4 * textHidden, layers, heads, maxTokens, vocabSize, visionHidden,
                4 * visionHidden, layers, heads, imageSize, patchSize);
    }

    private static String tokenizerJson(List<String> vocabulary) {
        int endId = vocabulary.size() - 1;
        StringBuilder vocab = new StringBuilder();
        for (int id = 0; id < vocabulary.size(); id++) {
            vocab.append(id == 0 ? "" : ", ").append('"').append(vocabulary.get(id)).append("\": ").append(id);
        }
        String special = """
                {"id": %d, "content": "%s", "single_word": false, "lstrip": false, "rstrip": false,
                 "normalized": false, "special": true}""";
        String start = "{\"SpecialToken\": {\"id\": \"<|startoftext|>\", \"type_id\": 0}}";
        String end = "{\"SpecialToken\": {\"id\": \"<|endoftext|>\", \"type_id\": 0}}";
        return """
                {"version": "1.0", "truncation": null, "padding": null,
                 "added_tokens": [%s, %s],
                 "normalizer": {"type": "Lowercase"},
                 "pre_tokenizer": {"type": "Whitespace"},
                 "post_processor": {"type": "TemplateProcessing",
                   "single": [%s, {"Sequence": {"id": "A", "type_id": 0}}, %s],
                   "pair": [%s, {"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}, %s],
                   "special_tokens": {
                     "<|startoftext|>": {"id": "<|startoftext|>", "ids": [0], "tokens": ["<|startoftext|>"]},
                     "<|endoftext|>": {"id": "<|endoftext|>", "ids": [%d], "tokens": ["<|endoftext|>"]}}},
                 "decoder": null,
                 "model": {"type": "WordLevel", "vocab": {%s}, "unk_token": "<|unk|>"}}
                """.formatted(special.formatted(0, "<|startoftext|>"), special.formatted(endId, "<|endoftext|>"),
                start, end, start, end, endId, vocab);
    }
}
