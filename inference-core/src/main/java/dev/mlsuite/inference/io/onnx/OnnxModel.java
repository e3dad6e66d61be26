package dev.mlsuite.inference.io.onnx;

import dev.mlsuite.inference.io.onnx.ProtobufReader.LongList;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX model file that checkpoint loading needs: the graph's nodes, initializers,
 * input and output names, decoded from the protobuf {@code ModelProto} by {@link ProtobufReader}.
 *
 * <p>Field numbers follow {@code onnx.proto} of the ONNX specification (IR version 3 and later).
 * Tensors with external data, sparse initializers and nested graphs are not decoded.
 */
public final class OnnxModel {

    // ModelProto
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_GRAPH = 7;
    // GraphProto
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    // NodeProto
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    // AttributeProto
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_F = 2;
    private static final int ATTRIBUTE_I = 3;
    private static final int ATTRIBUTE_S = 4;
    private static final int ATTRIBUTE_T = 5;
    private static final int ATTRIBUTE_FLOATS = 7;
    private static final int ATTRIBUTE_INTS = 8;
    // ValueInfoProto
    private static final int VALUE_INFO_NAME = 1;
    // TensorProto
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_INT32_DATA = 5;
    private static final int TENSOR_INT64_DATA = 7;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int TENSOR_DOUBLE_DATA = 10;
    private static final int TENSOR_DATA_LOCATION = 14;
    private static final int DATA_LOCATION_EXTERNAL = 1;

    private final String description;
    private final long irVersion;
    private final String producerName;
    private final String graphName;
    private final List<OnnxNode> nodes;
    private final Map<String, OnnxTensor> initializers;
    private final List<String> inputNames;
    private final List<String> outputNames;

    private OnnxModel(String description, long irVersion, String producerName, GraphParts graph) {
        this.description = description;
        this.irVersion = irVersion;
        this.producerName = producerName;
        this.graphName = graph.name;
        this.nodes = Collections.unmodifiableList(graph.nodes);
        this.initializers = Collections.unmodifiableMap(graph.initializers);
        this.inputNames = Collections.unmodifiableList(graph.inputNames);
        this.outputNames = Collections.unmodifiableList(graph.outputNames);
    }

    /** Reads and parses an ONNX file. */
    public static OnnxModel read(Path file) throws IOException {
        return parse(ByteBuffer.wrap(Files.readAllBytes(file)), file.toString());
    }

    /**
     * Reads an ONNX model from a stream, such as a classpath resource, and parses it.
     *
     * @param description names the source in error messages
     */
    public static OnnxModel read(InputStream input, String description) throws IOException {
        return parse(ByteBuffer.wrap(input.readAllBytes()), description);
    }

    /**
     * Parses the bytes of an ONNX model. Tensors keep views of {@code bytes}, so the buffer must
     * not change while the model is in use.
     *
     * @throws OnnxFormatException if the bytes are not a valid ONNX model
     */
    public static OnnxModel parse(ByteBuffer bytes, String description) {
        ProtobufReader reader = new ProtobufReader(bytes, description);
        long irVersion = 0;
        String producerName = "";
        GraphParts graph = null;
        while (reader.hasRemaining()) {
            int key = reader.readKey();
            switch (key >>> 3) {
                case MODEL_IR_VERSION -> irVersion = reader.readVarint();
                case MODEL_PRODUCER_NAME -> producerName = reader.readString();
                case MODEL_GRAPH -> graph = parseGraph(reader.readMessage(), description);
                default -> reader.skip(key);
            }
        }
        if (graph == null) {
            throw new OnnxFormatException(description + ": not an ONNX model, no graph found");
        }
        return new OnnxModel(description, irVersion, producerName, graph);
    }

    private static GraphParts parseGraph(ProtobufReader reader, String description) {
        GraphParts graph = new GraphParts();
        while (reader.hasRemaining()) {
            int key = reader.readKey();
            switch (key >>> 3) {
                case GRAPH_NODE -> graph.nodes.add(parseNode(reader.readMessage(), description));
                case GRAPH_NAME -> graph.name = reader.readString();
                case GRAPH_INITIALIZER -> {
                    OnnxTensor tensor = parseTensor(reader.readMessage(), description);
                    if (graph.initializers.put(tensor.name(), tensor) != null) {
                        throw new OnnxFormatException(description + ": duplicate initializer '" + tensor.name() + "'");
                    }
                }
                case GRAPH_INPUT -> graph.inputNames.add(parseValueInfoName(reader.readMessage()));
                case GRAPH_OUTPUT -> graph.outputNames.add(parseValueInfoName(reader.readMessage()));
                default -> reader.skip(key);
            }
        }
        return graph;
    }

    private static OnnxNode parseNode(ProtobufReader reader, String description) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, OnnxAttribute> attributes = new LinkedHashMap<>();
        String name = "";
        String opType = "";
        while (reader.hasRemaining()) {
            int key = reader.readKey();
            switch (key >>> 3) {
                case NODE_INPUT -> inputs.add(reader.readString());
                case NODE_OUTPUT -> outputs.add(reader.readString());
                case NODE_NAME -> name = reader.readString();
                case NODE_OP_TYPE -> opType = reader.readString();
                case NODE_ATTRIBUTE -> {
                    OnnxAttribute attribute = parseAttribute(reader.readMessage(), description);
                    attributes.put(attribute.name(), attribute);
                }
                default -> reader.skip(key);
            }
        }
        return new OnnxNode(name, opType, List.copyOf(inputs), List.copyOf(outputs),
                Collections.unmodifiableMap(attributes));
    }

    private static OnnxAttribute parseAttribute(ProtobufReader reader, String description) {
        String name = "";
        float floatValue = 0;
        long longValue = 0;
        String stringValue = null;
        OnnxTensor tensor = null;
        ByteSink floats = new ByteSink();
        LongList longs = new LongList();
        while (reader.hasRemaining()) {
            int key = reader.readKey();
            switch (key >>> 3) {
                case ATTRIBUTE_NAME -> name = reader.readString();
                case ATTRIBUTE_F -> floatValue = Float.intBitsToFloat(reader.readFixed32());
                case ATTRIBUTE_I -> longValue = reader.readVarint();
                case ATTRIBUTE_S -> stringValue = reader.readString();
                case ATTRIBUTE_T -> tensor = parseTensor(reader.readMessage(), description);
                case ATTRIBUTE_FLOATS -> readFixed32s(reader, key, floats);
                case ATTRIBUTE_INTS -> reader.readInt64s(key, longs);
                default -> reader.skip(key);
            }
        }
        ByteBuffer floatBytes = floats.toBuffer();
        float[] floatArray = new float[floatBytes.remaining() / 4];
        floatBytes.asFloatBuffer().get(floatArray);
        return new OnnxAttribute(name, floatValue, longValue, stringValue, tensor, floatArray, longs.toArray());
    }

    private static String parseValueInfoName(ProtobufReader reader) {
        String name = "";
        while (reader.hasRemaining()) {
            int key = reader.readKey();
            if (key >>> 3 == VALUE_INFO_NAME) {
                name = reader.readString();
            } else {
                reader.skip(key);
            }
        }
        return name;
    }

    private static OnnxTensor parseTensor(ProtobufReader reader, String description) {
        LongList dims = new LongList();
        int dataType = 0;
        String name = "";
        ByteBuffer raw = null;
        ByteSink fixedWidth = new ByteSink();
        LongList varints = new LongList();
        boolean external = false;
        while (reader.hasRemaining()) {
            int key = reader.readKey();
            switch (key >>> 3) {
                case TENSOR_DIMS -> reader.readInt64s(key, dims);
                case TENSOR_DATA_TYPE -> dataType = (int) reader.readVarint();
                case TENSOR_FLOAT_DATA -> readFixed32s(reader, key, fixedWidth);
                case TENSOR_INT32_DATA, TENSOR_INT64_DATA -> reader.readInt64s(key, varints);
                case TENSOR_NAME -> name = reader.readString();
                case TENSOR_RAW_DATA -> raw = reader.readBytes();
                case TENSOR_DOUBLE_DATA -> readFixed64s(reader, key, fixedWidth);
                case TENSOR_DATA_LOCATION -> external = reader.readVarint() == DATA_LOCATION_EXTERNAL;
                default -> reader.skip(key);
            }
        }

        String where = description + ": tensor '" + name + "'";
        if (external) {
            throw new OnnxFormatException(where + " stores its data in an external file, which is not supported;"
                    + " save the model with all tensors inside the .onnx file");
        }
        int elementSize = OnnxTensor.toDataType(dataType, where).getNumOfBytes();
        long[] shape = dims.toArray();
        long elementCount = 1;
        for (long dimension : shape) {
            if (dimension < 0) {
                throw new OnnxFormatException(where + " has negative dimension " + dimension);
            }
            elementCount = Math.multiplyExact(elementCount, dimension);
        }

        ByteBuffer elementBytes;
        if (raw != null) {
            elementBytes = raw;
        } else if (fixedWidth.size() > 0) {
            elementBytes = fixedWidth.toBuffer();
        } else {
            elementBytes = varintsToElements(varints.toArray(), elementSize);
        }
        long expectedBytes = elementCount * elementSize;
        if (elementBytes.remaining() != expectedBytes) {
            throw new OnnxFormatException(where + " has " + elementBytes.remaining() + " data bytes, but shape "
                    + java.util.Arrays.toString(shape) + " of ONNX type " + dataType + " needs " + expectedBytes);
        }
        return new OnnxTensor(name, dataType, shape, elementBytes, description);
    }

    /** Packs int32_data or int64_data values into little-endian elements of {@code elementSize} bytes. */
    private static ByteBuffer varintsToElements(long[] values, int elementSize) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * elementSize).order(ByteOrder.LITTLE_ENDIAN);
        for (long value : values) {
            switch (elementSize) {
                case 1 -> buffer.put((byte) value);
                case 2 -> buffer.putShort((short) value);
                case 4 -> buffer.putInt((int) value);
                default -> buffer.putLong(value);
            }
        }
        return buffer.flip();
    }

    private static void readFixed32s(ProtobufReader reader, int key, ByteSink out) {
        if ((key & 7) == ProtobufReader.WIRE_LENGTH_DELIMITED) {
            out.put(reader.readBytes());
        } else {
            out.putInt(reader.readFixed32());
        }
    }

    private static void readFixed64s(ProtobufReader reader, int key, ByteSink out) {
        if ((key & 7) == ProtobufReader.WIRE_LENGTH_DELIMITED) {
            out.put(reader.readBytes());
        } else {
            out.putLong(reader.readFixed64());
        }
    }

    public String description() {
        return description;
    }

    public long irVersion() {
        return irVersion;
    }

    public String producerName() {
        return producerName;
    }

    public String graphName() {
        return graphName;
    }

    /** Returns the graph's nodes in topological order, as stored. */
    public List<OnnxNode> nodes() {
        return nodes;
    }

    /** Returns the initializers by name, in file order. */
    public Map<String, OnnxTensor> initializers() {
        return initializers;
    }

    /** Returns the names of the graph inputs, which include initializers in models older than IR version 4. */
    public List<String> inputNames() {
        return inputNames;
    }

    public List<String> outputNames() {
        return outputNames;
    }

    private static final class GraphParts {
        private String name = "";
        private final List<OnnxNode> nodes = new ArrayList<>();
        private final Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
        private final List<String> inputNames = new ArrayList<>();
        private final List<String> outputNames = new ArrayList<>();
    }

    /** Growable little-endian byte buffer for fixed-width repeated fields. */
    private static final class ByteSink {
        private ByteBuffer buffer = ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        private ByteBuffer single;
        private int count;

        void put(ByteBuffer bytes) {
            if (count == 0 && single == null) {
                // A packed field arrives as one run: keep the view instead of copying it.
                single = bytes;
                count = bytes.remaining();
                return;
            }
            ensure(bytes.remaining());
            buffer.put(bytes.duplicate());
            count += bytes.remaining();
        }

        void putInt(int value) {
            ensure(4);
            buffer.putInt(value);
            count += 4;
        }

        void putLong(long value) {
            ensure(8);
            buffer.putLong(value);
            count += 8;
        }

        int size() {
            return count;
        }

        ByteBuffer toBuffer() {
            if (single != null && buffer.position() == 0) {
                return single.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            }
            return buffer.duplicate().flip().order(ByteOrder.LITTLE_ENDIAN);
        }

        private void ensure(int extra) {
            if (single != null) {
                ByteBuffer copy = ByteBuffer.allocate(single.remaining() + extra + 64).order(ByteOrder.LITTLE_ENDIAN);
                copy.put(single.duplicate());
                single = null;
                buffer = copy;
            }
            if (buffer.remaining() < extra) {
                ByteBuffer grown = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + extra + 64))
                        .order(ByteOrder.LITTLE_ENDIAN);
                grown.put(buffer.flip());
                buffer = grown;
            }
        }
    }
}
