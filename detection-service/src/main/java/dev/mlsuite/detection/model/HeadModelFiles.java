package dev.mlsuite.detection.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import dev.mlsuite.inference.engine.EngineStartupException;
import dev.mlsuite.inference.io.CheckpointException;
import dev.mlsuite.inference.io.Safetensors;
import dev.mlsuite.inference.io.SafetensorsFile;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes the files of a trained detection head: {@value #WEIGHTS_FILE} (safetensors,
 * float32, tensor names as in {@link ClassificationHead}) and {@value #METADATA_FILE}.
 */
public final class HeadModelFiles {

    public static final String WEIGHTS_FILE = "head.safetensors";
    public static final String METADATA_FILE = "model.json";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private HeadModelFiles() {
    }

    /** A loaded head with its metadata. */
    public record LoadedHead(DetectionModelMetadata metadata, ClassificationHead head) {
    }

    /** Writes both files into {@code directory}, creating it when missing. */
    public static void write(Path directory, DetectionModelMetadata metadata, ClassificationHead head,
            NDManager manager) throws IOException {
        Files.createDirectories(directory);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        try (NDManager arrays = manager.newSubManager()) {
            if (head.hiddenUnits() > 0) {
                tensors.put(ClassificationHead.HIDDEN_WEIGHT,
                        arrays.create(head.hiddenWeight(), new Shape(head.hiddenUnits(), head.inputSize())));
                tensors.put(ClassificationHead.HIDDEN_BIAS, arrays.create(head.hiddenBias()));
            }
            int outputInputs = head.outputWeight().length;
            tensors.put(ClassificationHead.OUTPUT_WEIGHT, arrays.create(head.outputWeight(), new Shape(1, outputInputs)));
            tensors.put(ClassificationHead.OUTPUT_BIAS, arrays.create(head.outputBias()));
            Safetensors.write(directory.resolve(WEIGHTS_FILE), tensors,
                    Map.of("model", metadata.name(), "version", metadata.version()));
        }
        Files.writeString(directory.resolve(METADATA_FILE), JSON.writeValueAsString(metadata) + "\n");
    }

    /**
     * Reads both files from {@code directory}.
     *
     * @param setting configuration key that chose the folder, named in errors
     * @throws EngineStartupException when a file is missing or does not match the metadata
     */
    public static LoadedHead read(Path directory, NDManager manager, String setting) {
        Path metadataFile = directory.resolve(METADATA_FILE);
        Path weightsFile = directory.resolve(WEIGHTS_FILE);
        for (Path file : new Path[] {metadataFile, weightsFile}) {
            if (!Files.isRegularFile(file)) {
                throw new EngineStartupException("Detection model file not found: " + file.toAbsolutePath()
                        + ". Check the setting " + setting + " or rebuild the model with the training command.");
            }
        }

        DetectionModelMetadata metadata;
        try {
            metadata = JSON.readValue(metadataFile.toFile(), DetectionModelMetadata.class);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new EngineStartupException("Invalid detection model metadata " + metadataFile.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }

        try (SafetensorsFile weights = SafetensorsFile.open(weightsFile); NDManager arrays = manager.newSubManager()) {
            int hiddenUnits = metadata.hiddenUnits();
            float[] none = new float[0];
            float[] hiddenWeight = hiddenUnits > 0 ? floats(weights, ClassificationHead.HIDDEN_WEIGHT, arrays) : none;
            float[] hiddenBias = hiddenUnits > 0 ? floats(weights, ClassificationHead.HIDDEN_BIAS, arrays) : none;
            float[] outputWeight = floats(weights, ClassificationHead.OUTPUT_WEIGHT, arrays);
            float[] outputBias = floats(weights, ClassificationHead.OUTPUT_BIAS, arrays);
            int inputSize = hiddenUnits > 0 ? hiddenWeight.length / hiddenUnits : outputWeight.length;
            ClassificationHead head = new ClassificationHead(inputSize, hiddenUnits, hiddenWeight, hiddenBias,
                    outputWeight, outputBias);
            return new LoadedHead(metadata, head);
        } catch (IOException | CheckpointException | IllegalArgumentException e) {
            throw new EngineStartupException("Invalid detection head weights " + weightsFile.toAbsolutePath() + ": "
                    + e.getMessage() + ". Rebuild the model with the training command.", e);
        }
    }

    private static float[] floats(SafetensorsFile weights, String name, NDManager manager) {
        return weights.load(name, manager).toFloatArray();
    }
}
