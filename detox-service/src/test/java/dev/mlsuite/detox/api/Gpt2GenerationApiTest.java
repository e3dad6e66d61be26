package dev.mlsuite.detox.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.io.Safetensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves a small random GPT-2 checkpoint with a byte-level {@code tokenizer.json} and a SAELens SAE at
 * {@code blocks.1.hook_resid_pre}, all written into a temporary folder, through the HTTP API.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class Gpt2GenerationApiTest {

    private static final int HIDDEN = 16;
    private static final int INNER = 64;
    private static final int LAYERS = 2;
    private static final int POSITIONS = 64;
    private static final int END_OF_TEXT = 256;
    private static final int VOCAB = 257;
    private static final int D_SAE = 32;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void modelFolders(DynamicPropertyRegistry registry) {
        Path root;
        try {
            root = Files.createTempDirectory("detox-gpt2-");
            writeGpt2(root.resolve("gpt2"));
            writeSae(root.resolve("sae"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("detox.language-model-type", () -> "gpt2");
        registry.add("detox.language-model", () -> root.resolve("gpt2").toString());
        registry.add("detox.sae", () -> root.resolve("sae").toString());
        registry.add("detox.scorer", () -> "../models/detox/scorer");
        registry.add("inference.device", () -> "cpu");
        registry.add("inference.intra-op-threads", () -> "1");
        registry.add("inference.inter-op-threads", () -> "1");
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode generate(String tier) throws Exception {
        String body = JSON.writeValueAsString(Map.of("prompt", "You are such a", "maxTokens", 12, "seed", 7,
                "temperature", 0.8, "steering", Map.of("tier", tier)));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/generations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void steeredGpt2GenerationDiffersFromUnsteered() throws Exception {
        JsonNode steered = generate("high");
        JsonNode plain = generate("none");

        assertThat(steered.get("text").asString()).isNotEmpty();
        assertThat(steered.get("tokens").size()).isBetween(1, 12);
        assertThat(steered.get("steering").get("tier").asString()).isEqualTo("high");
        assertThat(steered.get("steering").get("features").size()).isEqualTo(4);
        assertThat(steered.get("timings").get("promptTokens").asInt()).isEqualTo("You are such a".length() + 1);
        assertThat(plain.get("tokens").size()).isPositive();
        assertThat(steered.get("tokens")).isNotEqualTo(plain.get("tokens"));
        assertThat(generate("high").get("tokens")).isEqualTo(steered.get("tokens"));
    }

    private static void writeGpt2(Path folder) throws IOException {
        Files.createDirectories(folder);
        Random random = new Random(23);
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        put(values, shapes, "transformer.wte.weight", random, 0.5f, 0f, VOCAB, HIDDEN);
        put(values, shapes, "transformer.wpe.weight", random, 0.2f, 0f, POSITIONS, HIDDEN);
        for (int i = 0; i < LAYERS; i++) {
            String p = "transformer.h." + i + ".";
            put(values, shapes, p + "ln_1.weight", random, 0.1f, 1f, HIDDEN);
            put(values, shapes, p + "ln_1.bias", random, 0.1f, 0f, HIDDEN);
            put(values, shapes, p + "attn.c_attn.weight", random, 0.3f, 0f, HIDDEN, 3 * HIDDEN);
            put(values, shapes, p + "attn.c_attn.bias", random, 0.1f, 0f, 3 * HIDDEN);
            put(values, shapes, p + "attn.c_proj.weight", random, 0.3f, 0f, HIDDEN, HIDDEN);
            put(values, shapes, p + "attn.c_proj.bias", random, 0.1f, 0f, HIDDEN);
            put(values, shapes, p + "ln_2.weight", random, 0.1f, 1f, HIDDEN);
            put(values, shapes, p + "ln_2.bias", random, 0.1f, 0f, HIDDEN);
            put(values, shapes, p + "mlp.c_fc.weight", random, 0.3f, 0f, HIDDEN, INNER);
            put(values, shapes, p + "mlp.c_fc.bias", random, 0.1f, 0f, INNER);
            put(values, shapes, p + "mlp.c_proj.weight", random, 0.3f, 0f, INNER, HIDDEN);
            put(values, shapes, p + "mlp.c_proj.bias", random, 0.1f, 0f, HIDDEN);
        }
        put(values, shapes, "transformer.ln_f.weight", random, 0.1f, 1f, HIDDEN);
        put(values, shapes, "transformer.ln_f.bias", random, 0.1f, 0f, HIDDEN);
        write(folder.resolve(Safetensors.SINGLE_FILE_NAME), values, shapes);
        Files.writeString(folder.resolve("config.json"), """
                {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "n_embd": %d, "n_layer": %d,
                 "n_head": 4, "n_positions": %d, "vocab_size": %d, "layer_norm_epsilon": 1e-05,
                 "activation_function": "gelu_new", "n_inner": null, "bos_token_id": %d, "eos_token_id": %d}
                """.formatted(HIDDEN, LAYERS, POSITIONS, VOCAB, END_OF_TEXT, END_OF_TEXT));
        writeTokenizer(folder.resolve("tokenizer.json"));
    }

    /**
     * Writes a byte-level BPE tokenizer with the 256 single-byte tokens of GPT-2's alphabet (ids in byte order),
     * no merges, and {@code <|endoftext|>} as id 256.
     */
    private static void writeTokenizer(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ObjectNode endOfText = root.putArray("added_tokens").addObject();
        endOfText.put("id", END_OF_TEXT);
        endOfText.put("content", "<|endoftext|>");
        endOfText.put("single_word", false);
        endOfText.put("lstrip", false);
        endOfText.put("rstrip", false);
        endOfText.put("normalized", true);
        endOfText.put("special", true);
        root.putNull("normalizer");
        for (String part : List.of("pre_tokenizer", "post_processor", "decoder")) {
            ObjectNode byteLevel = root.putObject(part);
            byteLevel.put("type", "ByteLevel");
            byteLevel.put("add_prefix_space", false);
            byteLevel.put("trim_offsets", true);
            byteLevel.put("use_regex", true);
        }
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            vocab.put(String.valueOf((char) (printable ? b : 256 + shifted++)), b);
        }
        vocab.put("<|endoftext|>", END_OF_TEXT);
        model.putArray("merges");
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    /** Writes a ReLU SAE whose positive encoder bias keeps features active, and four chosen toxicity features. */
    private static void writeSae(Path folder) throws IOException {
        Files.createDirectories(folder);
        Random random = new Random(29);
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        put(values, shapes, "W_enc", random, 0.3f, 0f, HIDDEN, D_SAE);
        put(values, shapes, "b_enc", random, 0.1f, 0.5f, D_SAE);
        put(values, shapes, "W_dec", random, 0.5f, 0f, D_SAE, HIDDEN);
        put(values, shapes, "b_dec", random, 0.05f, 0f, HIDDEN);
        write(folder.resolve("sae_weights.safetensors"), values, shapes);
        Files.writeString(folder.resolve("cfg.json"), """
                {"architecture": "standard", "d_in": %d, "d_sae": %d, "dtype": "float32",
                 "model_name": "gpt2-test", "hook_name": "blocks.1.hook_resid_pre", "hook_layer": 1,
                 "activation_fn_str": "relu", "apply_b_dec_to_input": true, "normalize_activations": "none",
                 "prepend_bos": true}
                """.formatted(HIDDEN, D_SAE));
        Files.writeString(folder.resolve("toxicity-features.json"), """
                {"hookName": "blocks.1.hook_resid_pre", "selection": "test features",
                 "features": [%s]}
                """.formatted(String.join(", ", List.of(feature(0), feature(3), feature(9), feature(17)))));
    }

    private static String feature(int id) {
        return """
                {"id": %d, "auroc": 0.7, "meanActivationToxic": 1.0, "meanActivationNonToxic": 0.5,
                 "topActivations": []}""".formatted(id);
    }

    private static void put(Map<String, float[]> values, Map<String, long[]> shapes, String name, Random random,
            float scale, float offset, long... shape) {
        long size = 1;
        for (long dimension : shape) {
            size *= dimension;
        }
        float[] data = new float[Math.toIntExact(size)];
        for (int i = 0; i < data.length; i++) {
            data[i] = offset + (float) (random.nextGaussian() * scale);
        }
        values.put(name, data);
        shapes.put(name, shape);
    }

    private static void write(Path file, Map<String, float[]> values, Map<String, long[]> shapes)
            throws IOException {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), InferenceEngine.ENGINE_NAME)) {
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            values.forEach((name, data) -> arrays.put(name, manager.create(data, new Shape(shapes.get(name)))));
            Safetensors.write(file, arrays, Map.of("format", "pt"));
        }
    }
}
