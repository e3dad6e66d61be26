package dev.mlsuite.inference.io;

/**
 * Raised when a checkpoint file is malformed or does not match the model that reads it: a
 * missing tensor, a wrong shape or dtype, an invalid header. The message names the file and,
 * where one is involved, the tensor.
 */
public class CheckpointException extends RuntimeException {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
