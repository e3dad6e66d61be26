package dev.mlsuite.inference.llama;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mlsuite.inference.engine.EngineStartupException;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.engine.ModelFiles;
import dev.mlsuite.inference.io.Checkpoint;
import dev.mlsuite.inference.io.CheckpointException;
import dev.mlsuite.inference.io.HfConfig;
import dev.mlsuite.inference.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a LLaMA checkpoint in Hugging Face layout: {@code config.json} and {@code model.safetensors}
 * or a sharded {@code model.safetensors.index.json}. Hugging Face stores {@code q_proj} and
 * {@code k_proj} for half-split rotary embeddings, so the model uses {@link RopeStyle#HALF}.
 *
 * <p>The output layer is tied to the embedding when the checkpoint has no {@code lm_head.weight},
 * which is how {@code transformers} saves models with {@code tie_word_embeddings=true}.
 */
public final class HfLlamaLoader {

    private static final Logger log = LoggerFactory.getLogger(HfLlamaLoader.class);

    private HfLlamaLoader() {
    }

    /**
     * Loads the model in {@code directory} onto the engine's device.
     *
     * @param setting configuration key that chose the directory, named in start-up errors
     * @throws EngineStartupException when a file or tensor is missing, a shape differs from
     *     {@code config.json}, or the configuration uses a feature this runtime lacks
     */
    public static LlamaModel load(Path directory, InferenceEngine engine, String setting) {
        return load(directory, engine.device(), setting);
    }

    /**
     * Loads the model in {@code directory} onto {@code device} of the PyTorch engine, which must
     * already be started (see {@link InferenceEngine#start}).
     */
    public static LlamaModel load(Path directory, Device device, String setting) {
        ModelFiles.requireDirectory(directory, setting);
        long startNanos = System.nanoTime();
        NDManager manager = NDManager.newBaseManager(device, InferenceEngine.ENGINE_NAME);
        try (Checkpoint checkpoint = new Checkpoint(Safetensors.open(directory))) {
            HfConfig hfConfig = HfConfig.read(directory);
            LlamaConfig config = toLlamaConfig(hfConfig, checkpoint.contains(LlamaNames.LM_HEAD));

            Map<String, NDArray> loaded = new HashMap<>();
            LlamaWeights weights = (name, shape) -> loaded.computeIfAbsent(name,
                    key -> checkpoint.loadFloat(key, manager, shape.getShape()));
            String name = directory.toAbsolutePath().normalize().getFileName().toString();
            LlamaModel model = new LlamaModel(name, config, weights, manager);

            Set<String> unread = checkpoint.unreadNames();
            if (!unread.isEmpty()) {
                log.warn("{} tensors of {} are not used by the LLaMA model, e.g. {}", unread.size(),
                        checkpoint.description(), unread.iterator().next());
            }
            log.info("Loaded LLaMA model {} ({} parameters, {} layers, hidden {}) on {} in {} ms", name,
                    loaded.values().stream().mapToLong(NDArray::size).sum(), config.numHiddenLayers(),
                    config.hiddenSize(), device, (System.nanoTime() - startNanos) / 1_000_000);
            return model;
        } catch (CheckpointException | IllegalArgumentException e) {
            manager.close();
            throw new EngineStartupException("Failed to load the LLaMA checkpoint in " + directory.toAbsolutePath()
                    + ": " + e.getMessage() + ". Check the files or the setting " + setting + ".", e);
        } catch (IOException e) {
            manager.close();
            throw new EngineStartupException("Failed to read the LLaMA checkpoint in " + directory.toAbsolutePath()
                    + ". Check the setting " + setting + ".", e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Maps a Hugging Face {@code LlamaConfig} to this runtime's configuration, with the defaults of
     * {@code transformers}' {@code LlamaConfig} for absent keys.
     */
    static LlamaConfig toLlamaConfig(HfConfig hf, boolean hasSeparateLmHead) {
        String modelType = hf.stringOr("model_type", "llama");
        if (!modelType.equals("llama")) {
            throw new IllegalArgumentException("model_type is '" + modelType + "', expected 'llama'");
        }
        if (hf.has("rope_scaling")) {
            throw new IllegalArgumentException("rope_scaling is set, but this runtime implements only unscaled rotary"
                    + " embeddings");
        }
        int hidden = hf.requireInt("hidden_size");
        int heads = hf.requireInt("num_attention_heads");
        int headDim = hf.intOr("head_dim", hidden / heads);
        if (headDim * heads != hidden) {
            throw new IllegalArgumentException("head_dim " + headDim + " times num_attention_heads " + heads
                    + " differs from hidden_size " + hidden + ", which this runtime does not support");
        }
        return new LlamaConfig(
                hidden,
                hf.requireInt("intermediate_size"),
                hf.requireInt("num_hidden_layers"),
                heads,
                hf.intOr("num_key_value_heads", heads),
                hf.requireInt("vocab_size"),
                hf.intOr("max_position_embeddings", 2048),
                (float) hf.doubleOr("rms_norm_eps", 1e-6),
                (float) hf.doubleOr("rope_theta", 10000.0),
                RopeStyle.HALF,
                !hasSeparateLmHead);
    }
}
