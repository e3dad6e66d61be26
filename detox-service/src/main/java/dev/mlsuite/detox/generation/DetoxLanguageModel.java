package dev.mlsuite.detox.generation;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.mlsuite.inference.engine.EngineStartupException;
import dev.mlsuite.inference.generation.Generator;
import dev.mlsuite.inference.generation.LanguageModel;
import dev.mlsuite.inference.io.Checkpoint;
import dev.mlsuite.inference.io.Safetensors;
import dev.mlsuite.inference.llama.HfLlamaLoader;
import dev.mlsuite.inference.llama.Llama2cModelLoader;
import dev.mlsuite.inference.llama.Llama2cTokenizer;
import dev.mlsuite.inference.llama.LlamaModel;
import dev.mlsuite.inference.llama.LlamaNames;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A LLaMA checkpoint in Hugging Face layout with a llama2.c vocabulary ({@code tok512.bin}) beside
 * it, ready to generate and to score whole sequences.
 */
public final class DetoxLanguageModel implements AutoCloseable {

    private final LlamaModel model;
    private final Llama2cTokenizer tokenizer;
    private final Generator generator;
    private final TeacherForcedLogits teacherForced;

    private DetoxLanguageModel(LlamaModel model, Llama2cTokenizer tokenizer, TeacherForcedLogits teacherForced) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.generator = new Generator(new LanguageModel(model, tokenizer));
        this.teacherForced = teacherForced;
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
            return new DetoxLanguageModel(model, tokenizer, new TeacherForcedLogits(model, finalNorm, output));
        } catch (IOException | RuntimeException e) {
            model.close();
            throw new EngineStartupException("Failed to load the language model in " + folder.toAbsolutePath() + ": "
                    + e.getMessage() + ". Check the setting " + setting + ".", e);
        }
    }

    public LlamaModel model() {
        return model;
    }

    public Llama2cTokenizer tokenizer() {
        return tokenizer;
    }

    public Generator generator() {
        return generator;
    }

    public TeacherForcedLogits teacherForced() {
        return teacherForced;
    }

    @Override
    public void close() {
        model.close();
    }
}
