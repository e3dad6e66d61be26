package dev.mlsuite.vision.mesh;

/** A reconstruction that failed in a named pipeline stage. */
public class ReconstructionException extends RuntimeException {

    private final String stage;

    public ReconstructionException(String stage, String message, Throwable cause) {
        super("Stage '" + stage + "' failed: " + message, cause);
        this.stage = stage;
    }

    public String stage() {
        return stage;
    }
}
