package dev.mlsuite.inference.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A checkpoint split over several safetensors files, as Hugging Face writes large models: an
 * index file ({@code model.safetensors.index.json}) whose {@code weight_map} maps each tensor
 * name to the shard file that stores it, in the same directory.
 *
 * <p>{@link #open} opens every shard and checks that each mapped tensor is in its shard.
 */
public final class ShardedSafetensors implements TensorSource {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path indexFile;
    private final Map<String, SafetensorsFile> shardByTensor;
    private final Map<String, SafetensorsFile> shardsByFileName;

    private ShardedSafetensors(Path indexFile, Map<String, SafetensorsFile> shardByTensor,
            Map<String, SafetensorsFile> shardsByFileName) {
        this.indexFile = indexFile;
        this.shardByTensor = shardByTensor;
        this.shardsByFileName = shardsByFileName;
    }

    /**
     * Opens the index file and all shards it names.
     *
     * @throws CheckpointException if the index is invalid, names a file outside its directory, or maps a
     *     tensor to a shard that does not contain it
     * @throws IOException if a file cannot be read
     */
    public static ShardedSafetensors open(Path indexFile) throws IOException {
        Map<String, String> weightMap = readWeightMap(indexFile);
        Path directory = indexFile.toAbsolutePath().getParent();

        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, SafetensorsFile> shardByTensor = new TreeMap<>();
        try {
            for (Map.Entry<String, String> mapping : weightMap.entrySet()) {
                SafetensorsFile shard = shards.get(mapping.getValue());
                if (shard == null) {
                    shard = SafetensorsFile.open(resolveShard(indexFile, directory, mapping.getValue()));
                    shards.put(mapping.getValue(), shard);
                }
                if (!shard.contains(mapping.getKey())) {
                    throw new CheckpointException(indexFile + ": tensor '" + mapping.getKey() + "' is mapped to "
                            + mapping.getValue() + ", but that shard does not contain it");
                }
                shardByTensor.put(mapping.getKey(), shard);
            }
        } catch (RuntimeException | IOException e) {
            shards.values().forEach(SafetensorsFile::close);
            throw e;
        }
        return new ShardedSafetensors(indexFile, Collections.unmodifiableMap(shardByTensor),
                Collections.unmodifiableMap(shards));
    }

    private static Map<String, String> readWeightMap(Path indexFile) throws IOException {
        JsonNode index;
        try {
            index = JSON.readTree(Files.readString(indexFile));
        } catch (JacksonException e) {
            throw new CheckpointException(indexFile + ": index is not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode weightMap = index == null ? null : index.get("weight_map");
        if (weightMap == null || !weightMap.isObject() || weightMap.isEmpty()) {
            throw new CheckpointException(indexFile + ": missing or empty object 'weight_map'");
        }

        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : weightMap.properties()) {
            if (!property.getValue().isString()) {
                throw new CheckpointException(indexFile + ": weight_map entry '" + property.getKey()
                        + "' must name a shard file, found " + property.getValue());
            }
            result.put(property.getKey(), property.getValue().stringValue());
        }
        return result;
    }

    private static Path resolveShard(Path indexFile, Path directory, String fileName) {
        Path shard = directory.resolve(fileName).normalize();
        if (!shard.getParent().equals(directory.normalize())) {
            throw new CheckpointException(indexFile + ": shard '" + fileName
                    + "' must be a file name in the index file's directory");
        }
        if (!Files.isRegularFile(shard)) {
            throw new CheckpointException(indexFile + ": shard file not found: " + shard);
        }
        return shard;
    }

    public Path indexFile() {
        return indexFile;
    }

    /** Returns the shard file names in the order the index first names them. */
    public Set<String> shardFileNames() {
        return shardsByFileName.keySet();
    }

    @Override
    public String description() {
        return indexFile.toString();
    }

    @Override
    public Set<String> names() {
        return shardByTensor.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        return shard(name).info(name);
    }

    @Override
    public NDArray load(String name, NDManager manager) {
        return shard(name).load(name, manager);
    }

    private SafetensorsFile shard(String name) {
        SafetensorsFile shard = shardByTensor.get(name);
        if (shard == null) {
            throw Checkpoint.tensorNotFound(indexFile.toString(), name, shardByTensor.keySet());
        }
        return shard;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (SafetensorsFile shard : shardsByFileName.values()) {
            try {
                shard.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
