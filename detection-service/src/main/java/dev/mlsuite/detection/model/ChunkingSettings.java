package dev.mlsuite.detection.model;

/**
 * How long texts are cut into encoder inputs.
 *
 * @param windowTokens tokens per window including the start and end tokens; at most the encoder's
 *     maximum input (256 for all-MiniLM-L6-v2, {@code max_position_embeddings} for other BERT models)
 * @param overlapTokens content tokens shared by consecutive windows, less than {@code windowTokens - 2}
 */
public record ChunkingSettings(int windowTokens, int overlapTokens) {

    /** 256-token windows that overlap by 64 tokens. */
    public static final ChunkingSettings DEFAULT = new ChunkingSettings(256, 64);

    public ChunkingSettings {
        if (windowTokens < 3) {
            throw new IllegalArgumentException("windowTokens must be at least 3 (start, one token, end), found "
                    + windowTokens);
        }
        if (overlapTokens < 0 || overlapTokens >= windowTokens - 2) {
            throw new IllegalArgumentException("overlapTokens must be in [0, windowTokens - 2) = [0, "
                    + (windowTokens - 2) + "), found " + overlapTokens);
        }
    }
}
