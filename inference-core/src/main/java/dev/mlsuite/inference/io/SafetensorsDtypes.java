package dev.mlsuite.inference.io;

import ai.djl.ndarray.types.DataType;

/** Mapping between the dtype names of the safetensors header and DJL data types. */
final class SafetensorsDtypes {

    private SafetensorsDtypes() {
    }

    /**
     * Returns the DJL type of a safetensors dtype name.
     *
     * @param where the file and tensor, for the error message
     * @throws CheckpointException for names that are unknown or that the PyTorch engine cannot hold
     */
    static DataType toDataType(String dtype, String where) {
        return switch (dtype) {
            case "F64" -> DataType.FLOAT64;
            case "F32" -> DataType.FLOAT32;
            case "F16" -> DataType.FLOAT16;
            case "BF16" -> DataType.BFLOAT16;
            case "I64" -> DataType.INT64;
            case "I32" -> DataType.INT32;
            case "I16" -> DataType.INT16;
            case "I8" -> DataType.INT8;
            case "U8" -> DataType.UINT8;
            case "BOOL" -> DataType.BOOLEAN;
            default -> throw new CheckpointException(where + ": unsupported dtype '" + dtype
                    + "'; supported are F64, F32, F16, BF16, I64, I32, I16, I8, U8 and BOOL");
        };
    }

    /** Returns the safetensors name of a DJL type, the inverse of {@link #toDataType}. */
    static String toName(DataType dataType) {
        return switch (dataType) {
            case FLOAT64 -> "F64";
            case FLOAT32 -> "F32";
            case FLOAT16 -> "F16";
            case BFLOAT16 -> "BF16";
            case INT64 -> "I64";
            case INT32 -> "I32";
            case INT16 -> "I16";
            case INT8 -> "I8";
            case UINT8 -> "U8";
            case BOOLEAN -> "BOOL";
            default -> throw new IllegalArgumentException("safetensors cannot store dtype " + dataType);
        };
    }
}
