package dev.mlsuite.detox.training;

import ai.djl.ndarray.NDArray;
import dev.mlsuite.inference.io.Safetensors;
import dev.mlsuite.inference.llama.LlamaConfig;
import dev.mlsuite.inference.llama.LlamaNames;
import dev.mlsuite.inference.llama.RopeStyle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes LLaMA weights in Hugging Face layout: {@code config.json} and {@code model.safetensors}.
 * Weights from llama2.c rotate interleaved pairs, so their {@code q_proj} and {@code k_proj} rows
 * are permuted per head into the half-split order of Hugging Face, as {@code transformers}' own
 * conversion script does.
 */
public final class HfLlamaExport {

    private HfLlamaExport() {
    }

    /** Writes {@code tensors} (Hugging Face names, {@code config}'s rotary style) into {@code directory}. */
    public static void write(Path directory, LlamaConfig config, Map<String, NDArray> tensors) throws IOException {
        Files.createDirectories(directory);
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            String name = entry.getKey();
            if (name.equals(LlamaNames.LM_HEAD) && config.tieWordEmbeddings()) {
                continue;
            }
            NDArray tensor = entry.getValue();
            if (config.ropeStyle() == RopeStyle.INTERLEAVED && isRotated(name, config)) {
                tensor = interleavedToHalf(tensor, config.headDim());
            }
            out.put(name, tensor);
        }
        Safetensors.write(directory.resolve(Safetensors.SINGLE_FILE_NAME), out, Map.of("format", "pt"));
        Files.writeString(directory.resolve("config.json"), configJson(config), StandardCharsets.UTF_8);
    }

    private static boolean isRotated(String name, LlamaConfig config) {
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            if (name.equals(LlamaNames.queryProjection(layer)) || name.equals(LlamaNames.keyProjection(layer))) {
                return true;
            }
        }
        return false;
    }

    /** Reorders rows {@code [heads * headDim, in]} from pairs (0,1),(2,3),... to halves (0,2,...),(1,3,...). */
    static NDArray interleavedToHalf(NDArray weight, int headDim) {
        long rows = weight.getShape().get(0);
        long columns = weight.getShape().get(1);
        long heads = rows / headDim;
        return weight.reshape(heads, headDim / 2, 2, columns).transpose(0, 2, 1, 3).reshape(rows, columns);
    }

    static String configJson(LlamaConfig c) {
        return "{\n"
                + "  \"architectures\": [\"LlamaForCausalLM\"],\n"
                + "  \"model_type\": \"llama\",\n"
                + "  \"hidden_size\": " + c.hiddenSize() + ",\n"
                + "  \"intermediate_size\": " + c.intermediateSize() + ",\n"
                + "  \"num_hidden_layers\": " + c.numHiddenLayers() + ",\n"
                + "  \"num_attention_heads\": " + c.numAttentionHeads() + ",\n"
                + "  \"num_key_value_heads\": " + c.numKeyValueHeads() + ",\n"
                + "  \"vocab_size\": " + c.vocabSize() + ",\n"
                + "  \"max_position_embeddings\": " + c.maxPositionEmbeddings() + ",\n"
                + "  \"rms_norm_eps\": " + c.rmsNormEps() + ",\n"
                + "  \"rope_theta\": " + c.ropeTheta() + ",\n"
                + "  \"hidden_act\": \"silu\",\n"
                + "  \"tie_word_embeddings\": " + c.tieWordEmbeddings() + ",\n"
                + "  \"bos_token_id\": 1,\n"
                + "  \"eos_token_id\": 2,\n"
                + "  \"torch_dtype\": \"float32\"\n"
                + "}\n";
    }
}
