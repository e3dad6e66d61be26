package dev.mlsuite.inference.llama;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.generation.LanguageModel;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads a llama2.c model file and its vocabulary into a {@link LlamaModel} on the engine's device. */
public final class Llama2cModelLoader {

    /** File names of the stories models published with llama2.c's 260K-parameter example. */
    public static final String STORIES260K_MODEL_FILE = "stories260K.bin";
    public static final String STORIES260K_TOKENIZER_FILE = "tok512.bin";

    private static final Logger log = LoggerFactory.getLogger(Llama2cModelLoader.class);

    private Llama2cModelLoader() {
    }

    /**
     * Loads {@code stories260K.bin} and {@code tok512.bin} from {@code folder}.
     *
     * @param setting configuration key that chose the folder, named in start-up errors
     */
    public static LanguageModel loadFolder(Path folder, InferenceEngine engine, String setting) {
        return load(folder.resolve(STORIES260K_MODEL_FILE), folder.resolve(STORIES260K_TOKENIZER_FILE), engine, setting);
    }

    /**
     * Loads a llama2.c model file and vocabulary; the model is named after the model file.
     *
     * @param setting configuration key that chose the files, named in start-up errors
     * @throws dev.mlsuite.inference.engine.EngineStartupException when a file is missing or malformed
     */
    public static LanguageModel load(Path modelFile, Path tokenizerFile, InferenceEngine engine, String setting) {
        return load(modelFile, tokenizerFile, engine.device(), setting);
    }

    /**
     * Loads a llama2.c model file and vocabulary onto {@code device} of the PyTorch engine, which must
     * already be started (see {@link InferenceEngine#start}).
     */
    public static LanguageModel load(Path modelFile, Path tokenizerFile, Device device, String setting) {
        long startNanos = System.nanoTime();
        NDManager manager = NDManager.newBaseManager(device, InferenceEngine.ENGINE_NAME);
        try {
            Llama2cCheckpoint checkpoint = Llama2cCheckpoint.load(modelFile, manager, setting);
            LlamaConfig config = checkpoint.config();
            Llama2cTokenizer tokenizer = Llama2cTokenizer.load(tokenizerFile, config.vocabSize(), setting);
            String name = modelFile.getFileName().toString().replaceFirst("\\.bin$", "");
            LlamaModel model = new LlamaModel(name, config, checkpoint.weights(), manager);

            log.info("Loaded llama2.c model {} ({} parameters, {} layers, hidden {}) on {} in {} ms", name,
                    parameterCount(checkpoint.tensors()), config.numHiddenLayers(), config.hiddenSize(), device,
                    (System.nanoTime() - startNanos) / 1_000_000);
            return new LanguageModel(model, tokenizer);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Returns the number of distinct weight values, counting a tied output layer once. */
    static long parameterCount(Map<String, NDArray> tensors) {
        Map<NDArray, Boolean> distinct = new IdentityHashMap<>();
        tensors.values().forEach(tensor -> distinct.put(tensor, Boolean.TRUE));
        return distinct.keySet().stream().mapToLong(tensor -> tensor.getShape().size()).sum();
    }
}
