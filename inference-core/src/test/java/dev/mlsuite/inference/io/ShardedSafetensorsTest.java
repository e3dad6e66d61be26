package dev.mlsuite.inference.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedSafetensorsTest {

    private static NDManager manager;

    @TempDir
    Path directory;

    @BeforeAll
    static void startEngine() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void closeEngine() {
        manager.close();
    }

    @Test
    void directoryWithIndexReadsTensorsFromEachShard() throws IOException {
        writeShards();
        writeIndex("""
                {"metadata": {"total_size": 20},
                 "weight_map": {"a": "model-00001-of-00002.safetensors",
                                "b": "model-00002-of-00002.safetensors",
                                "c": "model-00002-of-00002.safetensors"}}""");

        try (TensorSource source = Safetensors.open(directory)) {
            assertThat(source).isInstanceOf(ShardedSafetensors.class);
            assertThat(source.names()).containsExactly("a", "b", "c");
            assertThat(source.load("a", manager).toFloatArray()).containsExactly(1f, 2f);
            assertThat(source.load("b", manager).toFloatArray()).containsExactly(3f);
            assertThat(source.load("c", manager).toFloatArray()).containsExactly(4f, 5f);
            assertThat(((ShardedSafetensors) source).shardFileNames())
                    .containsExactly("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors");
        }
    }

    @Test
    void tensorMappedToWrongShardIsRejected() throws IOException {
        writeShards();
        Path index = writeIndex("""
                {"weight_map": {"a": "model-00002-of-00002.safetensors"}}""");

        assertThatThrownBy(() -> ShardedSafetensors.open(index))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("tensor 'a' is mapped to model-00002-of-00002.safetensors")
                .hasMessageContaining("does not contain it");
    }

    @Test
    void missingShardFileIsNamed() throws IOException {
        Path index = writeIndex("""
                {"weight_map": {"a": "model-00003-of-00003.safetensors"}}""");

        assertThatThrownBy(() -> ShardedSafetensors.open(index))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("shard file not found")
                .hasMessageContaining("model-00003-of-00003.safetensors");
    }

    @Test
    void shardOutsideIndexDirectoryIsRejected() throws IOException {
        Path index = writeIndex("""
                {"weight_map": {"a": "../elsewhere/model.safetensors"}}""");

        assertThatThrownBy(() -> ShardedSafetensors.open(index))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("must be a file name in the index file's directory");
    }

    @Test
    void indexWithoutWeightMapIsRejected() throws IOException {
        Path index = writeIndex("{\"metadata\": {}}");

        assertThatThrownBy(() -> ShardedSafetensors.open(index))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(index.toString())
                .hasMessageContaining("missing or empty object 'weight_map'");
    }

    private void writeShards() throws IOException {
        Safetensors.write(directory.resolve("model-00001-of-00002.safetensors"),
                Map.of("a", manager.create(new float[] {1, 2})), Map.of());
        Safetensors.write(directory.resolve("model-00002-of-00002.safetensors"),
                Map.of("b", manager.create(new float[] {3}), "c", manager.create(new float[] {4, 5})), Map.of());
    }

    private Path writeIndex(String json) throws IOException {
        return Files.writeString(directory.resolve(Safetensors.INDEX_FILE_NAME), json);
    }
}
