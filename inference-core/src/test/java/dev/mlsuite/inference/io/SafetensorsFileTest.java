package dev.mlsuite.inference.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

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
    void readsHandWrittenFileWithTwoDtypes() throws IOException {
        // Bytes laid out by hand as the safetensors format describes them, independent of the writer.
        ByteBuffer data = ByteBuffer.allocate(6 * 4 + 2 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            data.putFloat(i * 0.5f - 1);
        }
        data.putLong(-7).putLong(1L << 40);
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[24,40]}}";
        Path file = writeRaw(header, data.array());

        try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
            assertThat(safetensors.names()).containsExactly("ids", "weight");
            assertThat(safetensors.metadata()).containsEntry("format", "pt");
            assertThat(safetensors.info("weight").shape()).isEqualTo(new Shape(2, 3));
            assertThat(safetensors.info("ids").dataType()).isEqualTo(DataType.INT64);

            NDArray weight = safetensors.load("weight", manager);
            assertThat(weight.toFloatArray()).containsExactly(-1f, -0.5f, 0f, 0.5f, 1f, 1.5f);
            NDArray ids = safetensors.load("ids", manager);
            assertThat(ids.toLongArray()).containsExactly(-7L, 1L << 40);
        }
    }

    @Test
    void writtenFileRoundTripsEveryFloatWidth() throws IOException {
        NDArray values = manager.create(new float[] {1.5f, -2.25f, 0.125f, 3f}, new Shape(2, 2));
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("f32", values);
        tensors.put("f16", values.toType(DataType.FLOAT16, false));
        tensors.put("f64", values.toType(DataType.FLOAT64, false));
        tensors.put("i32", manager.create(new int[] {4, -5, 6}));
        Path file = directory.resolve("model.safetensors");
        Safetensors.write(file, tensors, Map.of("note", "test"));

        try (Checkpoint checkpoint = new Checkpoint(Safetensors.open(file))) {
            for (String name : new String[] {"f32", "f16", "f64"}) {
                NDArray loaded = checkpoint.loadFloat(name, manager, 2, 2);
                assertThat(loaded.getDataType()).isEqualTo(DataType.FLOAT32);
                assertThat(loaded.toFloatArray()).as(name).containsExactly(1.5f, -2.25f, 0.125f, 3f);
            }
            assertThat(checkpoint.source().info("f16").dataType()).isEqualTo(DataType.FLOAT16);
            assertThat(checkpoint.load("i32", manager).toIntArray()).containsExactly(4, -5, 6);
            assertThat(checkpoint.unreadNames()).isEmpty();
        }
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLength % 8).isZero();
    }

    @Test
    void bfloat16IsWidenedToFloat32() throws IOException {
        // BF16 is the upper half of a float32: 0x3FC0 is 1.5, 0xC010 is -2.25.
        ByteBuffer data = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0x3FC0).putShort((short) 0xC010);
        Path file = writeRaw("{\"w\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", data.array());

        try (Checkpoint checkpoint = new Checkpoint(Safetensors.open(file))) {
            assertThat(checkpoint.source().info("w").dataType()).isEqualTo(DataType.BFLOAT16);
            NDArray loaded = checkpoint.loadFloat("w", manager, 2);
            assertThat(loaded.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(loaded.toFloatArray()).containsExactly(1.5f, -2.25f);
        }
    }

    @Test
    void directoryOpensItsSingleFile() throws IOException {
        Safetensors.write(directory.resolve(Safetensors.SINGLE_FILE_NAME),
                Map.of("a", manager.create(new float[] {1, 2})), Map.of());

        try (TensorSource source = Safetensors.open(directory)) {
            assertThat(source).isInstanceOf(SafetensorsFile.class);
            assertThat(source.names()).containsExactly("a");
        }
    }

    @Test
    void wrongShapeNamesTensorAndBothShapes() throws IOException {
        Path file = directory.resolve("model.safetensors");
        Safetensors.write(file, Map.of("encoder.dense.weight", manager.zeros(new Shape(3, 4))), Map.of());

        try (Checkpoint checkpoint = new Checkpoint(Safetensors.open(file))) {
            assertThatThrownBy(() -> checkpoint.loadFloat("encoder.dense.weight", manager, 4, 3))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("'encoder.dense.weight'")
                    .hasMessageContaining("has shape [3, 4], expected [4, 3]");
        }
    }

    @Test
    void integerTensorIsRejectedAsFloatWeight() throws IOException {
        Path file = directory.resolve("model.safetensors");
        Safetensors.write(file, Map.of("ids", manager.create(new long[] {1, 2})), Map.of());

        try (Checkpoint checkpoint = new Checkpoint(Safetensors.open(file))) {
            assertThatThrownBy(() -> checkpoint.loadFloat("ids", manager, 2))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("'ids' has dtype INT64");
        }
    }

    @Test
    void missingTensorListsSimilarNames() throws IOException {
        Path file = directory.resolve("model.safetensors");
        Safetensors.write(file, Map.of("bert.pooler.dense.weight", manager.zeros(new Shape(1))), Map.of());

        try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
            assertThatThrownBy(() -> safetensors.load("pooler.dense.weight", manager))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("tensor 'pooler.dense.weight' not found")
                    .hasMessageContaining("bert.pooler.dense.weight");
        }
    }

    @Test
    void fileShorterThanLengthPrefixIsRejected() throws IOException {
        Path file = Files.write(directory.resolve("short.safetensors"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("only 3 bytes");
    }

    @Test
    void headerLengthBeyondFileIsRejected() throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).put(new byte[8]);
        Path file = Files.write(directory.resolve("long.safetensors"), bytes.array());

        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("invalid safetensors header length 1000");
    }

    @Test
    void headerThatIsNotJsonIsRejected() throws IOException {
        Path file = writeRaw("{\"a\": [", new byte[0]);

        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("header is not valid JSON");
    }

    @Test
    void unknownDtypeIsRejectedWithTensorName() throws IOException {
        Path file = writeRaw("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]);

        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("tensor 'w'")
                .hasMessageContaining("unsupported dtype 'F8_E4M3'");
    }

    @Test
    void offsetsPastDataSectionAreRejected() throws IOException {
        Path file = writeRaw("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]);

        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("tensor 'w'")
                .hasMessageContaining("outside the 8-byte data section");
    }

    @Test
    void offsetsThatDisagreeWithShapeAreRejected() throws IOException {
        Path file = writeRaw("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]);

        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("tensor 'w'")
                .hasMessageContaining("cover 8 bytes")
                .hasMessageContaining("needs 12 bytes");
    }

    @Test
    void overlappingTensorsAreRejected() throws IOException {
        Path file = writeRaw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]);

        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("'a' and 'b' have overlapping data_offsets");
    }

    @Test
    void negativeShapeIsRejected() throws IOException {
        Path file = writeRaw("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", new byte[8]);

        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("tensor 'a'")
                .hasMessageContaining("'shape' must hold non-negative integers");
    }

    private Path writeRaw(String header, byte[] data) throws IOException {
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer file = ByteBuffer.allocate(8 + headerBytes.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(headerBytes.length).put(headerBytes).put(data);
        return Files.write(directory.resolve("raw.safetensors"), file.array());
    }
}
