package dev.mlsuite.inference.gpt2;

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
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a GPT-2 checkpoint in Hugging Face layout ({@code config.json} and {@code model.safetensors}
 * or a sharded index). Tensor names may carry the {@code transformer.} prefix of
 * {@code GPT2LMHeadModel} or not, as checkpoints saved from {@code GPT2Model} name them. The output
 * layer is {@code lm_head.weight} when present, else the token embedding.
 */
public final class Gpt2Loader {

    private static final Logger log = LoggerFactory.getLogger(Gpt2Loader.class);

    private Gpt2Loader() {
    }

    /**
     * Loads the model in {@code directory} onto {@code device} of the started PyTorch engine.
     *
     * @param setting configuration key that chose the directory, named in start-up errors
     * @throws EngineStartupException when a file or tensor is missing or a shape differs from {@code config.json}
     */
    public static Gpt2Model load(Path directory, Device device, String setting) {
        ModelFiles.requireDirectory(directory, setting);
        long startNanos = System.nanoTime();
        NDManager manager = NDManager.newBaseManager(device, InferenceEngine.ENGINE_NAME);
        try (Checkpoint checkpoint = new Checkpoint(Safetensors.open(directory))) {
            Gpt2Config config = toConfig(HfConfig.read(directory));
            String prefix = checkpoint.contains("transformer.wte.weight") ? "transformer." : "";
            int d = config.hiddenSize();
            int inner = config.intermediateSize();

            NDArray wte = checkpoint.loadFloat(prefix + "wte.weight", manager, config.vocabSize(), d);
            NDArray wpe = checkpoint.loadFloat(prefix + "wpe.weight", manager, config.maxPositions(), d);
            List<Gpt2Block.Weights> blocks = new ArrayList<>();
            for (int i = 0; i < config.numLayers(); i++) {
                String block = prefix + "h." + i + ".";
                blocks.add(new Gpt2Block.Weights(
                        checkpoint.loadFloat(block + "ln_1.weight", manager, d),
                        checkpoint.loadFloat(block + "ln_1.bias", manager, d),
                        checkpoint.loadFloat(block + "attn.c_attn.weight", manager, d, 3L * d),
                        checkpoint.loadFloat(block + "attn.c_attn.bias", manager, 3L * d),
                        checkpoint.loadFloat(block + "attn.c_proj.weight", manager, d, d),
                        checkpoint.loadFloat(block + "attn.c_proj.bias", manager, d),
                        checkpoint.loadFloat(block + "ln_2.weight", manager, d),
                        checkpoint.loadFloat(block + "ln_2.bias", manager, d),
                        checkpoint.loadFloat(block + "mlp.c_fc.weight", manager, d, inner),
                        checkpoint.loadFloat(block + "mlp.c_fc.bias", manager, inner),
                        checkpoint.loadFloat(block + "mlp.c_proj.weight", manager, inner, d),
                        checkpoint.loadFloat(block + "mlp.c_proj.bias", manager, d)));
            }
            NDArray lnFWeight = checkpoint.loadFloat(prefix + "ln_f.weight", manager, d);
            NDArray lnFBias = checkpoint.loadFloat(prefix + "ln_f.bias", manager, d);
            NDArray output = checkpoint.contains("lm_head.weight")
                    ? checkpoint.loadFloat("lm_head.weight", manager, config.vocabSize(), d) : wte;

            String name = directory.toAbsolutePath().normalize().getFileName().toString();
            Gpt2Model model = new Gpt2Model(name, config, manager, wte, wpe, blocks, lnFWeight, lnFBias, output);
            log.info("Loaded GPT-2 model {} ({} layers, hidden {}, vocab {}) on {} in {} ms", name,
                    config.numLayers(), d, config.vocabSize(), device, (System.nanoTime() - startNanos) / 1_000_000);
            return model;
        } catch (CheckpointException | IllegalArgumentException e) {
            manager.close();
            throw new EngineStartupException("Failed to load the GPT-2 checkpoint in " + directory.toAbsolutePath()
                    + ": " + e.getMessage() + ". Check the files or the setting " + setting + ".", e);
        } catch (IOException e) {
            manager.close();
            throw new EngineStartupException("Failed to read the GPT-2 checkpoint in " + directory.toAbsolutePath()
                    + ". Check the setting " + setting + ".", e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Maps {@code config.json} to the model's shape, with {@code transformers}' defaults for absent keys. */
    static Gpt2Config toConfig(HfConfig hf) {
        String modelType = hf.stringOr("model_type", "gpt2");
        if (!modelType.equals("gpt2")) {
            throw new IllegalArgumentException("model_type is '" + modelType + "', expected 'gpt2'");
        }
        String activation = hf.stringOr("activation_function", "gelu_new");
        if (!activation.equals("gelu_new") && !activation.equals("gelu_pytorch_tanh")) {
            throw new IllegalArgumentException("activation_function '" + activation + "' is not supported; this"
                    + " runtime implements gelu_new (tanh approximation)");
        }
        int hidden = hf.intOr("n_embd", 768);
        return new Gpt2Config(hidden, hf.intOr("n_layer", 12), hf.intOr("n_head", 12), hf.intOr("n_positions", 1024),
                hf.intOr("vocab_size", 50257), (float) hf.doubleOr("layer_norm_epsilon", 1e-5),
                hf.has("n_inner") && hf.intOr("n_inner", 0) > 0 ? hf.intOr("n_inner", 0) : 4 * hidden);
    }
}
