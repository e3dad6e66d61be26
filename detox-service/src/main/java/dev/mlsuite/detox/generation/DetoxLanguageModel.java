package dev.mlsuite.detox.generation;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.mlsuite.inference.engine.EngineStartupException;
import dev.mlsuite.inference.generation.CausalLanguageModel;
import dev.mlsuite.inference.generation.Generator;
import dev.mlsuite.inference.generation.LanguageModel;
import dev.mlsuite.inference.generation.TextTokenizer;
import dev.mlsuite.inference.gpt2.Gpt2Loader;
import dev.mlsuite.inference.gpt2.Gpt2Model;
import dev.mlsuite.inference.io.Checkpoint;
import dev.mlsuite.inference.io.HfConfig;
import dev.mlsuite.inference.io.Safetensors;
import dev.mlsuite.inference.llama.HfLlamaLoader;
import dev.mlsuite.inference.llama.Llama2cModelLoader;
import dev.mlsuite.inference.llama.Llama2cTokenizer;
import dev.mlsuite.inference.llama.LlamaModel;
import dev.mlsuite.inference.llama.LlamaNames;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The language model the service steers, ready to generate: a LLaMA checkpoint in Hugging Face layout
 * with a llama2.c vocabulary ({@code tok512.bin}) beside it, which can also score whole sequences for
 * training and evaluation, or a GPT-2 checkpoint with its {@code tokenizer.json}, which only generates.
 */
public final class DetoxLanguageModel implements AutoCloseable {

    /** Architecture of the checkpoint, chosen by {@code detox.language-model-type}. */
    public enum Type {
        LLAMA, GPT2
    }

    private final CausalLanguageModel model;
    private final TextTokenizer tokenizer;
    private final int hiddenSize;
    private final Generator generator;
    private final TeacherForcedLogits teacherForced; // null for GPT-2

    private DetoxLanguageModel(CausalLanguageModel model, TextTokenizer tokenizer, int hiddenSize,
            TeacherForcedLogits teacherForced) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.hiddenSize = hiddenSize;
        this.generator = new Generator(new LanguageModel(model, tokenizer));
        this.teacherForced = teacherForced;
    }

    /** Loads a checkpoint of {@code type} from {@code folder}; see {@link #load(Path, Device, String)} and {@link #loadGpt2}. */
    public static DetoxLanguageModel load(Type type, Path folder, Device device, String setting) {
        return type == Type.GPT2 ? loadGpt2(folder, device, setting) : load(folder, device, setting);
    }

    /**
     * Loads a GPT-2 checkpoint ({@code config.json}, {@code model.safetensors}) and its byte-level BPE
     * {@code tokenizer.json} from {@code folder}, e.g. the Hugging Face {@code gpt2} repository.
     *
     * @param setting configuration key that chose the folder, named in errors
     */
    public static DetoxLanguageModel loadGpt2(Path folder, Device device, String setting) {
        Gpt2Model model = Gpt2Loader.load(folder, device, setting);
        try {
            HfConfig config = HfConfig.read(folder);
            int endOfText = model.vocabSize() - 1;
            Gpt2TextTokenizer tokenizer = Gpt2TextTokenizer.load(folder.resolve("tokenizer.json"), model.vocabSize(),
                    config.intOr("bos_token_id", endOfText), config.intOr("eos_token_id", endOfText), setting);
            return new DetoxLanguageModel(model, tokenizer, model.config().hiddenSize(), null);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw new EngineStartupException("Failed to load the GPT-2 tokenizer in " + folder.toAbsolutePath() + ": "
                    + e.getMessage() + ". Check the setting " + setting + ".", e);
        }
    }

    /**
     * Loads {@code config.json}, {@code model.safetensors} and {@code tok512.bin} from {@code folder}.
     *
     * @param setting configuration key that chose the folder, named in errors
     */
    public static DetoxLanguageModel load(Path folder, Device device, String setting) {
        LlamaModel model = HfLlamaLoader.load(folder, device, setting);
        try {
            Llama2cTokenizer tokenizer = Llama2cTokenizer.load(
                    folder.resolve(Llama2cModelLoader.STORIES260K_TOKENIZER_FILE), model.vocabSize(), setting);
            NDArray finalNorm;
            NDArray output;
            try (Checkpoint checkpoint = new Checkpoint(Safetensors.open(folder))) {
                int hidden = model.config().hiddenSize();
                finalNorm = checkpoint.loadFloat(LlamaNames.FINAL_NORM, model.manager(), hidden);
                String outputName = checkpoint.contains(LlamaNames.LM_HEAD) ? LlamaNames.LM_HEAD
                        : LlamaNames.EMBED_TOKENS;
                output = checkpoint.loadFloat(outputName, model.manager(), model.vocabSize(), hidden);
            }
            return new DetoxLanguageModel(model, tokenizer, model.config().hiddenSize(),
                    new TeacherForcedLogits(model, finalNorm, output));
        } catch (IOException | RuntimeException e) {
            model.close();
            throw new EngineStartupException("Failed to load the language model in " + folder.toAbsolutePath() + ": "
                    + e.getMessage() + ". Check the setting " + setting + ".", e);
        }
    }

    public CausalLanguageModel model() {
        return model;
    }

    /** Returns the width of the residual stream, which an SAE's {@code d_in} must match. */
    public int hiddenSize() {
        return hiddenSize;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** Returns the LLaMA model, which training and evaluation need. */
    public LlamaModel llamaModel() {
        if (model instanceof LlamaModel llama) {
            return llama;
        }
        throw new IllegalStateException("Model " + model.name() + " is not a LLaMA checkpoint");
    }

    /** Returns the llama2.c vocabulary, which training and evaluation need. */
    public Llama2cTokenizer llamaTokenizer() {
        if (tokenizer instanceof Llama2cTokenizer llama) {
            return llama;
        }
        throw new IllegalStateException("Model " + model.name() + " has no llama2.c vocabulary");
    }

    public Generator generator() {
        return generator;
    }

    /** Returns whole-sequence logits; only LLaMA checkpoints have them. */
    public TeacherForcedLogits teacherForced() {
        if (teacherForced == null) {
            throw new IllegalStateException("Model " + model.name() + " is not a LLaMA checkpoint");
        }
        return teacherForced;
    }

    @Override
    public void close() {
        if (tokenizer instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("Failed to close the tokenizer of " + model.name(), e);
            }
        }
        model.close();
    }
}
