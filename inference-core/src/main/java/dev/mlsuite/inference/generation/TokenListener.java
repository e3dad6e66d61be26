package dev.mlsuite.inference.generation;

/**
 * Receives a sequence's output as it is generated. The text deltas of all calls, joined in order,
 * equal the final text.
 */
public interface TokenListener {

    /** A listener that ignores everything. */
    TokenListener NONE = (tokenId, textDelta) -> { };

    /**
     * Receives one generated token and the text that may be shown now. The delta can be empty while
     * a character spans several byte tokens or while the text could still turn into a stop string.
     */
    void onToken(int tokenId, String textDelta);

    /** Receives the reason the sequence stopped and the text held back until then, possibly empty. */
    default void onFinish(FinishReason reason, String textDelta) {
    }
}
