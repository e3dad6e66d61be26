package dev.mlsuite.inference.io.onnx;

import dev.mlsuite.inference.io.CheckpointException;

/** Raised when an ONNX file is not valid protobuf or contains data that this reader does not support. */
public class OnnxFormatException extends CheckpointException {

    public OnnxFormatException(String message) {
        super(message);
    }
}
