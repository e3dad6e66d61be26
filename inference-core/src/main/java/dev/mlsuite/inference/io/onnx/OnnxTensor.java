package dev.mlsuite.inference.io.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.io.NativeArrays;
import dev.mlsuite.inference.io.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A tensor stored in an ONNX file (a {@code TensorProto}): an initializer or the value of a
 * {@code Constant} node.
 *
 * <p>The data stays a view of the file's bytes until {@link #toNDArray} or one of the array
 * accessors copies it. Both ONNX layouts are read: {@code raw_data} (little-endian element bytes)
 * and the typed repeated fields ({@code float_data}, {@code int32_data}, {@code int64_data},
 * {@code double_data}).
 */
public final class OnnxTensor {

    /** ONNX {@code TensorProto.DataType} codes this reader converts. */
    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int INT16 = 5;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int BOOL = 9;
    static final int FLOAT16 = 10;
    static final int DOUBLE = 11;
    static final int BFLOAT16 = 16;

    private final String name;
    private final int onnxDataType;
    private final long[] dims;
    private final ByteBuffer elementBytes;
    private final String source;

    OnnxTensor(String name, int onnxDataType, long[] dims, ByteBuffer elementBytes, String source) {
        this.name = name;
        this.onnxDataType = onnxDataType;
        this.dims = dims;
        this.elementBytes = elementBytes;
        this.source = source;
    }

    public String name() {
        return name;
    }

    /** Returns the ONNX {@code TensorProto.DataType} code, for example 1 for FLOAT. */
    public int onnxDataType() {
        return onnxDataType;
    }

    public Shape shape() {
        return new Shape(dims);
    }

    /**
     * Returns the DJL type of this tensor.
     *
     * @throws OnnxFormatException for ONNX types without a DJL counterpart on the PyTorch engine
     */
    public DataType dataType() {
        return toDataType(onnxDataType, source + ": tensor '" + name + "'");
    }

    public TensorInfo info() {
        return new TensorInfo(name, dataType(), shape());
    }

    /** Copies the data into a new array of {@link #dataType()} and {@link #shape()} owned by {@code manager}. */
    public NDArray toNDArray(NDManager manager) {
        DataType dataType = dataType();
        if (shape().size() == 0) {
            return manager.zeros(shape(), dataType);
        }
        return NativeArrays.fromLittleEndian(manager, elementBytes.duplicate(), shape(), dataType);
    }

    /** Returns the values of an INT64 or INT32 tensor, such as the target shape of a {@code Reshape}. */
    public long[] toLongArray() {
        ByteBuffer bytes = elementBytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long[] values = new long[Math.toIntExact(shape().size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (onnxDataType) {
                case INT64 -> bytes.getLong();
                case INT32 -> bytes.getInt();
                default -> throw new OnnxFormatException(source + ": tensor '" + name + "' has ONNX type "
                        + onnxDataType + ", expected INT64 (7) or INT32 (6)");
            };
        }
        return values;
    }

    static DataType toDataType(int onnxDataType, String where) {
        return switch (onnxDataType) {
            case FLOAT -> DataType.FLOAT32;
            case UINT8 -> DataType.UINT8;
            case INT8 -> DataType.INT8;
            case INT16 -> DataType.INT16;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            case BOOL -> DataType.BOOLEAN;
            case FLOAT16 -> DataType.FLOAT16;
            case DOUBLE -> DataType.FLOAT64;
            case BFLOAT16 -> DataType.BFLOAT16;
            default -> throw new OnnxFormatException(where + ": unsupported ONNX data type " + onnxDataType
                    + "; supported are FLOAT, DOUBLE, FLOAT16, BFLOAT16, INT64, INT32, INT16, INT8, UINT8 and BOOL");
        };
    }
}
