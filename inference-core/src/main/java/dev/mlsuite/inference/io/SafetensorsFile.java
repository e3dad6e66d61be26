package dev.mlsuite.inference.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One {@code .safetensors} file: an 8-byte little-endian header length, a JSON header that maps
 * each tensor name to its dtype, shape and byte range, then the raw little-endian tensor data.
 *
 * <p>{@link #open} reads and validates the whole header: every dtype must be known, every byte
 * range must lie inside the file and match the shape, and no two ranges may overlap. Tensor
 * data is read from disk on each {@link #load}. Instances are safe for concurrent loads.
 */
public final class SafetensorsFile implements TensorSource {

    /** Largest header the reference implementation accepts, in bytes. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final String METADATA_KEY = "__metadata__";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path file, FileChannel channel, long dataStart, Map<String, Entry> entries,
            Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    /**
     * Opens a file and validates its header.
     *
     * @throws CheckpointException if the header is invalid; the message names the file and tensor
     * @throws IOException if the file cannot be read
     */
    public static SafetensorsFile open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return readHeader(file, channel);
        } catch (RuntimeException | IOException e) {
            channel.close();
            throw e;
        }
    }

    private static SafetensorsFile readHeader(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new CheckpointException(file + ": not a safetensors file, it has only " + fileSize + " bytes");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - 8) {
            throw new CheckpointException(file + ": invalid safetensors header length " + headerLength
                    + " (file size " + fileSize + " bytes, maximum header " + MAX_HEADER_BYTES + " bytes)");
        }

        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        JsonNode header;
        try {
            header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw new CheckpointException(file + ": safetensors header is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new CheckpointException(file + ": safetensors header must be a JSON object");
        }

        long dataStart = 8 + headerLength;
        long dataSize = fileSize - dataStart;
        Map<String, String> metadata = parseMetadata(file, header.get(METADATA_KEY));
        Map<String, Entry> entries = new TreeMap<>();
        for (Map.Entry<String, JsonNode> property : header.properties()) {
            if (!property.getKey().equals(METADATA_KEY)) {
                entries.put(property.getKey(), parseEntry(file, property.getKey(), property.getValue(), dataSize));
            }
        }
        requireNoOverlap(file, entries.values());
        return new SafetensorsFile(file, channel, dataStart, Collections.unmodifiableMap(entries), metadata);
    }

    private static Map<String, String> parseMetadata(Path file, JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new CheckpointException(file + ": '" + METADATA_KEY + "' must be a JSON object of strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            if (!property.getValue().isString()) {
                throw new CheckpointException(file + ": metadata value '" + property.getKey()
                        + "' must be a string, found " + property.getValue().getNodeType());
            }
            metadata.put(property.getKey(), property.getValue().stringValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static Entry parseEntry(Path file, String name, JsonNode node, long dataSize) {
        String where = file + ": tensor '" + name + "'";
        if (!node.isObject()) {
            throw new CheckpointException(where + ": header entry must be a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isString()) {
            throw new CheckpointException(where + ": missing string field 'dtype'");
        }
        DataType dataType = SafetensorsDtypes.toDataType(dtypeNode.stringValue(), where);
        long[] shape = readLongs(node.get("shape"), "shape", where);
        long[] offsets = readLongs(node.get("data_offsets"), "data_offsets", where);
        if (offsets.length != 2) {
            throw new CheckpointException(where + ": 'data_offsets' must have 2 values, found " + offsets.length);
        }

        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end || end > dataSize) {
            throw new CheckpointException(where + ": data_offsets [" + begin + ", " + end
                    + "] lie outside the " + dataSize + "-byte data section");
        }
        long elements = 1;
        for (long dimension : shape) {
            elements = Math.multiplyExact(elements, dimension);
        }
        long expectedBytes = Math.multiplyExact(elements, (long) dataType.getNumOfBytes());
        if (end - begin != expectedBytes) {
            throw new CheckpointException(where + ": data_offsets cover " + (end - begin) + " bytes but shape "
                    + new Shape(shape) + " of " + dtypeNode.stringValue() + " needs " + expectedBytes + " bytes");
        }
        if (expectedBytes > Integer.MAX_VALUE - 8) {
            throw new CheckpointException(where + ": " + expectedBytes
                    + " bytes exceed the 2 GiB that one tensor may have here; split the tensor across shards");
        }
        return new Entry(new TensorInfo(name, dataType, new Shape(shape)), begin, end);
    }

    private static long[] readLongs(JsonNode node, String field, String where) {
        if (node == null || !node.isArray()) {
            throw new CheckpointException(where + ": missing array field '" + field + "'");
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = node.get(i);
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
                throw new CheckpointException(where + ": '" + field + "' must hold non-negative integers, found "
                        + node);
            }
            values[i] = value.longValue();
        }
        return values;
    }

    private static void requireNoOverlap(Path file, Iterable<Entry> entries) {
        List<Entry> sorted = new ArrayList<>();
        entries.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(Entry::begin));
        for (int i = 1; i < sorted.size(); i++) {
            Entry previous = sorted.get(i - 1);
            Entry current = sorted.get(i);
            if (current.begin() < previous.end()) {
                throw new CheckpointException(file + ": tensors '" + previous.info().name() + "' and '"
                        + current.info().name() + "' have overlapping data_offsets");
            }
        }
    }

    public Path file() {
        return file;
    }

    /** Returns the string pairs stored under {@code __metadata__}, empty when there are none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public String description() {
        return file.toString();
    }

    @Override
    public Set<String> names() {
        return entries.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        return entry(name).info();
    }

    @Override
    public NDArray load(String name, NDManager manager) {
        Entry entry = entry(name);
        TensorInfo info = entry.info();
        int byteCount = (int) (entry.end() - entry.begin());
        if (byteCount == 0) {
            return manager.zeros(info.shape(), info.dataType());
        }

        ByteBuffer data = ByteBuffer.allocateDirect(byteCount).order(ByteOrder.LITTLE_ENDIAN);
        try {
            readFully(channel, data, dataStart + entry.begin());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": failed to read tensor '" + name + "'", e);
        }
        data.flip();
        return NativeArrays.fromLittleEndian(manager, data, info.shape(), info.dataType());
    }

    private Entry entry(String name) {
        Entry entry = entries.get(name);
        if (entry == null) {
            throw Checkpoint.tensorNotFound(file.toString(), name, entries.keySet());
        }
        return entry;
    }

    private static void readFully(FileChannel channel, ByteBuffer target, long position) throws IOException {
        long offset = position;
        while (target.hasRemaining()) {
            int read = channel.read(target, offset);
            if (read < 0) {
                throw new IOException("unexpected end of file at byte " + offset);
            }
            offset += read;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("failed to close " + file, e);
        }
    }

    private record Entry(TensorInfo info, long begin, long end) {
    }
}
