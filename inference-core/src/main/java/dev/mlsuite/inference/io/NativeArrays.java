package dev.mlsuite.inference.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Creation of arrays from the little-endian bytes that checkpoint formats store. */
public final class NativeArrays {

    private NativeArrays() {
    }

    /**
     * Creates an array from little-endian element bytes between the buffer's position and limit.
     * The engine receives its own copy of the bytes, so the buffer may be reused afterwards.
     *
     * <p>BF16 data is widened to a float32 array, exactly, because DJL 0.36's PyTorch engine aborts
     * the JVM when it creates a BF16 array.
     */
    public static NDArray fromLittleEndian(NDManager manager, ByteBuffer data, Shape shape, DataType dataType) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            // NOTE: big-endian hosts would need a byte swap per element, and no DJL PyTorch build targets one.
            throw new UnsupportedOperationException("checkpoint loading needs a little-endian CPU");
        }
        if (dataType == DataType.BFLOAT16) {
            return manager.create(widenBfloat16(data.duplicate().order(ByteOrder.LITTLE_ENDIAN)), shape);
        }
        ByteBuffer direct = data;
        if (!data.isDirect()) {
            direct = ByteBuffer.allocateDirect(data.remaining());
            direct.put(data.duplicate()).flip();
        }
        // The PyTorch engine wraps a direct buffer without copying it, so clone into engine-owned memory.
        try (NDArray wrapped = manager.create(direct.order(ByteOrder.nativeOrder()), shape, dataType)) {
            return wrapped.duplicate();
        }
    }

    /** Widens BF16 values, the upper 16 bits of a float32, to float32. */
    private static float[] widenBfloat16(ByteBuffer data) {
        float[] values = new float[data.remaining() / 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.intBitsToFloat((data.getShort() & 0xFFFF) << 16);
        }
        return values;
    }
}
