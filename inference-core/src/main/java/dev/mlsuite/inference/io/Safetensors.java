package dev.mlsuite.inference.io;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Opening and writing of safetensors checkpoints in the Hugging Face layout. */
public final class Safetensors {

    /** File name of an unsharded Hugging Face checkpoint. */
    public static final String SINGLE_FILE_NAME = "model.safetensors";
    /** File name of the index of a sharded Hugging Face checkpoint. */
    public static final String INDEX_FILE_NAME = "model.safetensors.index.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Safetensors() {
    }

    /**
     * Opens a checkpoint given as a directory, an index file or a single file.
     *
     * <p>A directory opens its {@value #INDEX_FILE_NAME} when present, else its {@value #SINGLE_FILE_NAME}.
     * A path ending in {@code .index.json} opens as a sharded checkpoint, any other file as one file.
     *
     * @throws CheckpointException if no checkpoint file is found or a header is invalid
     * @throws IOException if a file cannot be read
     */
    public static TensorSource open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            Path index = path.resolve(INDEX_FILE_NAME);
            if (Files.isRegularFile(index)) {
                return ShardedSafetensors.open(index);
            }
            Path single = path.resolve(SINGLE_FILE_NAME);
            if (Files.isRegularFile(single)) {
                return SafetensorsFile.open(single);
            }
            throw new CheckpointException(path + ": directory has neither " + INDEX_FILE_NAME + " nor "
                    + SINGLE_FILE_NAME);
        }
        if (!Files.isRegularFile(path)) {
            throw new CheckpointException("checkpoint file not found: " + path);
        }
        if (path.getFileName().toString().endsWith(".index.json")) {
            return ShardedSafetensors.open(path);
        }
        return SafetensorsFile.open(path);
    }

    /**
     * Writes tensors to one safetensors file, in name order, with 8-byte aligned data.
     *
     * @param tensors arrays of a dtype that safetensors stores (F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)
     * @param metadata string pairs stored under {@code __metadata__}; may be empty
     * @throws IllegalArgumentException for a dtype that safetensors cannot store
     */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata)
            throws IOException {
        Map<String, NDArray> sorted = new TreeMap<>(tensors);
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode metadataNode = header.putObject("__metadata__");
            metadata.forEach(metadataNode::put);
        }
        long offset = 0;
        for (Map.Entry<String, NDArray> tensor : sorted.entrySet()) {
            NDArray array = tensor.getValue();
            long byteCount = array.size() * array.getDataType().getNumOfBytes();
            ObjectNode entry = header.putObject(tensor.getKey());
            entry.put("dtype", SafetensorsDtypes.toName(array.getDataType()));
            ArrayNode shape = entry.putArray("shape");
            for (long dimension : array.getShape().getShape()) {
                shape.add(dimension);
            }
            entry.putArray("data_offsets").add(offset).add(offset + byteCount);
            offset += byteCount;
        }

        byte[] headerJson = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int paddedLength = (headerJson.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(8 + paddedLength).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(paddedLength).put(headerJson);
        while (prefix.hasRemaining()) {
            prefix.put((byte) ' ');
        }
        prefix.flip();

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(channel, prefix);
            for (NDArray array : sorted.values()) {
                writeFully(channel, array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
            }
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
