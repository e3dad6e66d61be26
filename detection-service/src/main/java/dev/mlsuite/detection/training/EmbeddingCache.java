package dev.mlsuite.detection.training;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Document embeddings stored on disk so that a second training run skips the encoder. A file
 * holds one embedding per document id; a cache whose ids differ from the request is ignored.
 */
final class EmbeddingCache {

    private static final Logger log = LoggerFactory.getLogger(EmbeddingCache.class);
    private static final int FORMAT_VERSION = 1;

    private final Path directory;

    EmbeddingCache(Path directory) {
        this.directory = directory;
    }

    /** Returns the cached embeddings of {@code ids} in that order, or empty when the file is missing or differs. */
    Optional<float[][]> read(String key, List<String> ids) {
        Path file = fileFor(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (DataInputStream input = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (input.readInt() != FORMAT_VERSION) {
                return Optional.empty();
            }
            int count = input.readInt();
            int width = input.readInt();
            Map<String, float[]> byId = new HashMap<>();
            for (int i = 0; i < count; i++) {
                String id = input.readUTF();
                float[] embedding = new float[width];
                for (int d = 0; d < width; d++) {
                    embedding[d] = input.readFloat();
                }
                byId.put(id, embedding);
            }
            float[][] result = new float[ids.size()][];
            for (int i = 0; i < ids.size(); i++) {
                result[i] = byId.get(ids.get(i));
                if (result[i] == null) {
                    log.info("Embedding cache {} lacks document {}; recomputing", file, ids.get(i));
                    return Optional.empty();
                }
            }
            return Optional.of(result);
        } catch (IOException e) {
            log.warn("Ignoring unreadable embedding cache {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    void write(String key, List<String> ids, float[][] embeddings) throws IOException {
        Files.createDirectories(directory);
        Path file = fileFor(key);
        try (DataOutputStream output = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            output.writeInt(FORMAT_VERSION);
            output.writeInt(ids.size());
            output.writeInt(embeddings.length == 0 ? 0 : embeddings[0].length);
            for (int i = 0; i < ids.size(); i++) {
                output.writeUTF(ids.get(i));
                for (float value : embeddings[i]) {
                    output.writeFloat(value);
                }
            }
        }
    }

    private Path fileFor(String key) {
        return directory.resolve("embeddings-" + key + ".bin");
    }
}
