package dev.mlsuite.inference.tfjs;

/**
 * Raised when a TF.js graph model cannot be loaded or run: a malformed {@code model.json}, a
 * missing or short weight file, an unsupported op or dtype, or an input of the wrong shape. The
 * message names the file, node or op involved.
 */
public class TfjsModelException extends RuntimeException {

    public TfjsModelException(String message) {
        super(message);
    }

    public TfjsModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
