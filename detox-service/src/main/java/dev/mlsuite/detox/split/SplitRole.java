package dev.mlsuite.detox.split;

/** Role of a detox service instance in the two phases of generation, prefill and decode. */
public enum SplitRole {
    /** Prefill and decode on one decode loop, which prefills waiting prompts between decode steps. */
    MONOLITHIC,
    /** Prefill on a separate thread pool; prefilled sequences join this instance's decode loop. */
    IN_PROCESS_SPLIT,
    /** Prefill here, then hand the sequence to a decode instance and relay its tokens to the client. */
    PREFILL,
    /** Decode handed-over sequences; client requests are served as in {@link #MONOLITHIC}. */
    DECODE
}
