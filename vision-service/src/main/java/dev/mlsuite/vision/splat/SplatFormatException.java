package dev.mlsuite.vision.splat;

import java.io.IOException;

/**
 * An input that is not a valid 3D Gaussian Splatting PLY file. The {@link #kind()} is a stable
 * identifier of the failure (for example {@code missing-property}) that callers map to a problem type.
 */
public class SplatFormatException extends IOException {

    /** Stable failure kinds; each is also the suffix of a problem type URI. */
    public enum Kind {
        NOT_A_PLY("not-a-ply"),
        UNSUPPORTED_FORMAT("unsupported-ply-format"),
        MISSING_PROPERTY("missing-property"),
        TRUNCATED_FILE("truncated-file"),
        INVALID_VALUE("invalid-value"),
        TOO_MANY_GAUSSIANS("too-many-gaussians"),
        EMPTY_SCENE("empty-scene"),
        DEGENERATE_GAUSSIAN("degenerate-gaussian");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    private final Kind kind;

    public SplatFormatException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
