package dev.mlsuite.inference.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mlsuite.inference.engine.EngineStartupException;
import dev.mlsuite.inference.engine.TestEngine;
import dev.mlsuite.inference.generation.KvCache;
import dev.mlsuite.inference.generation.ModelInput;
import dev.mlsuite.inference.generation.PaddingSide;
import dev.mlsuite.inference.hooks.Hooks;
import dev.mlsuite.inference.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Converts stories260K to Hugging Face layout (half-split rotary weights, as {@code transformers}'
 * LLaMA conversion permutes them) and checks that the loaded model computes the same logits.
 */
class HfLlamaLoaderTest {

    static final String CONFIG = """
            {"model_type": "llama", "architectures": ["LlamaForCausalLM"], "hidden_size": 64,
             "intermediate_size": 172, "num_hidden_layers": 5, "num_attention_heads": 8,
             "num_key_value_heads": 4, "vocab_size": 512, "max_position_embeddings": 512,
             "rms_norm_eps": 1e-05, "rope_theta": 10000.0, "tie_word_embeddings": true,
             "bos_token_id": 1, "eos_token_id": 2}
            """;

    private static final int[] PROMPT = {1, 403, 407, 261, 378, 432, 383, 286};

    @Test
    void hfLayoutMatchesLlama2cLogits(@TempDir Path temp) throws IOException {
        Path directory = temp.resolve("stories260K-hf");
        try (NDManager manager = TestEngine.get().newManager()) {
            writeHfCheckpoint(directory, manager, CONFIG, false, false);
        }

        float[] expected = llama2cLogits();
        try (LlamaModel model = HfLlamaLoader.load(directory, TestEngine.get(), "test.model-dir")) {
            assertThat(model.config().ropeStyle()).isEqualTo(RopeStyle.HALF);
            assertThat(model.config().tieWordEmbeddings()).isTrue();
            assertThat(model.name()).isEqualTo("stories260K-hf");

            assertThat(maxAbsDifference(logits(model), expected)).isLessThan(1e-4f);
        }
    }

    @Test
    void shardedCheckpointLoads(@TempDir Path temp) throws IOException {
        Path directory = temp.resolve("sharded");
        try (NDManager manager = TestEngine.get().newManager()) {
            writeHfCheckpoint(directory, manager, CONFIG, true, false);
        }

        try (LlamaModel model = HfLlamaLoader.load(directory, TestEngine.get(), "test.model-dir")) {
            assertThat(maxAbsDifference(logits(model), llama2cLogits())).isLessThan(1e-4f);
        }
    }

    @Test
    void separateLmHeadIsUsed(@TempDir Path temp) throws IOException {
        Path directory = temp.resolve("untied");
        try (NDManager manager = TestEngine.get().newManager()) {
            writeHfCheckpoint(directory, manager, CONFIG.replace("\"tie_word_embeddings\": true",
                    "\"tie_word_embeddings\": false"), false, true);
        }

        try (LlamaModel model = HfLlamaLoader.load(directory, TestEngine.get(), "test.model-dir")) {
            float[] expected = llama2cLogits();
            float[] actual = logits(model);

            assertThat(model.config().tieWordEmbeddings()).isFalse();
            // lm_head is the embedding times 0.5, so every logit halves.
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).isCloseTo(expected[i] * 0.5f, org.assertj.core.api.Assertions.within(1e-4f));
            }
        }
    }

    @Test
    void missingTensorNamesTensorAndSetting(@TempDir Path temp) throws IOException {
        Path directory = temp.resolve("broken");
        try (NDManager manager = TestEngine.get().newManager()) {
            Map<String, NDArray> tensors = hfTensors(manager);
            tensors.remove("model.layers.3.mlp.up_proj.weight");
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("config.json"), CONFIG);
            Safetensors.write(directory.resolve("model.safetensors"), tensors, Map.of());
        }

        assertThatThrownBy(() -> HfLlamaLoader.load(directory, TestEngine.get(), "inference.models.detox.path"))
                .isInstanceOf(EngineStartupException.class)
                .hasMessageContaining("model.layers.3.mlp.up_proj.weight")
                .hasMessageContaining("inference.models.detox.path");
    }

    @Test
    void ropeScalingIsRejected(@TempDir Path temp) throws IOException {
        Path directory = temp.resolve("scaled");
        try (NDManager manager = TestEngine.get().newManager()) {
            writeHfCheckpoint(directory, manager, CONFIG.replace("\"rope_theta\": 10000.0,",
                    "\"rope_theta\": 10000.0, \"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0},"), false, false);
        }

        assertThatThrownBy(() -> HfLlamaLoader.load(directory, TestEngine.get(), "test.model-dir"))
                .isInstanceOf(EngineStartupException.class)
                .hasMessageContaining("rope_scaling");
    }

    private static float[] llama2cLogits() {
        try (NDManager manager = TestEngine.get().newManager()) {
            Llama2cCheckpoint checkpoint = Llama2cCheckpoint.load(Stories260K.MODEL, manager, Stories260K.SETTING);
            LlamaModel model = new LlamaModel("llama2c", checkpoint.config(), checkpoint.weights(),
                    manager.newSubManager());
            return logits(model);
        }
    }

    private static float[] logits(LlamaModel model) {
        try (KvCache cache = model.newCache(); NDManager scope = model.manager().newSubManager()) {
            return model.forward(scope, List.of(new ModelInput(PROMPT, cache, Hooks.NONE)), PaddingSide.RIGHT)
                    .toFloatArray();
        }
    }

    /** Returns stories260K's weights under Hugging Face names, with q/k rows permuted for half-split rotary. */
    private static Map<String, NDArray> hfTensors(NDManager manager) {
        Llama2cCheckpoint checkpoint = Llama2cCheckpoint.load(Stories260K.MODEL, manager, Stories260K.SETTING);
        LlamaConfig config = checkpoint.config();
        Map<String, NDArray> tensors = new TreeMap<>(checkpoint.tensors());
        tensors.remove(LlamaNames.LM_HEAD);
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            tensors.put(LlamaNames.queryProjection(layer),
                    toHalfLayout(tensors.get(LlamaNames.queryProjection(layer)), config.numAttentionHeads()));
            tensors.put(LlamaNames.keyProjection(layer),
                    toHalfLayout(tensors.get(LlamaNames.keyProjection(layer)), config.numKeyValueHeads()));
        }
        return tensors;
    }

    static void writeHfCheckpoint(Path directory, NDManager manager, String config, boolean sharded,
            boolean separateLmHead) throws IOException {
        Map<String, NDArray> tensors = hfTensors(manager);
        if (separateLmHead) {
            tensors.put(LlamaNames.LM_HEAD, tensors.get(LlamaNames.EMBED_TOKENS).mul(0.5f));
        }
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("config.json"), config);
        if (!sharded) {
            Safetensors.write(directory.resolve("model.safetensors"), tensors, Map.of());
            return;
        }

        Map<String, NDArray> first = new TreeMap<>();
        Map<String, NDArray> second = new TreeMap<>();
        StringBuilder weightMap = new StringBuilder();
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            boolean inFirst = entry.getKey().startsWith("model.layers.0") || entry.getKey().startsWith("model.embed");
            (inFirst ? first : second).put(entry.getKey(), entry.getValue());
            weightMap.append(weightMap.length() == 0 ? "" : ",").append('"').append(entry.getKey()).append("\": \"")
                    .append(inFirst ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors")
                    .append('"');
        }
        Safetensors.write(directory.resolve("model-00001-of-00002.safetensors"), first, Map.of());
        Safetensors.write(directory.resolve("model-00002-of-00002.safetensors"), second, Map.of());
        Files.writeString(directory.resolve("model.safetensors.index.json"),
                "{\"metadata\": {}, \"weight_map\": {" + weightMap + "}}");
    }

    /** Reorders each head's rows from interleaved pairs to halves, as Hugging Face's LLaMA conversion does. */
    private static NDArray toHalfLayout(NDArray weight, int heads) {
        long rows = weight.getShape().get(0);
        long columns = weight.getShape().get(1);
        return weight.reshape(heads, rows / heads / 2, 2, columns).transpose(0, 2, 1, 3).reshape(rows, columns);
    }

    private static float maxAbsDifference(float[] a, float[] b) {
        float max = 0f;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
