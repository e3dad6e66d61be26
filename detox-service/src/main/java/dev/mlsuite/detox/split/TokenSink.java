package dev.mlsuite.detox.split;

import dev.mlsuite.inference.generation.FinishReason;

/** Receiver of one generation's output, whichever instance decodes it. Called from one thread at a time. */
interface TokenSink {

    /** Receives the generated token number {@code index} (0 is the token sampled by prefill) and its text delta. */
    void token(int index, int tokenId, String textDelta);

    /** Receives the finish reason and the text held back until the end. */
    void finish(FinishReason reason, String textDelta);

    /** Receives a failure after which no more tokens come. */
    void fail(RuntimeException failure);

    /** Receives where the sequence went after prefill: {@code null} instance means this instance decodes it. */
    default void decodedBy(java.net.URI instance, int transferBytes, long transferNanos) {
    }
}
