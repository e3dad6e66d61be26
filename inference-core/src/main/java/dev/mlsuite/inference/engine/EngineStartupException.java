package dev.mlsuite.inference.engine;

/**
 * A failure to start the model runtime: a missing native library, model file or tensor, or a
 * device the engine cannot provide. The message names the file or tensor and the setting to change.
 */
public class EngineStartupException extends RuntimeException {

    public EngineStartupException(String message) {
        super(message);
    }

    public EngineStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
