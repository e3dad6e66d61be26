package dev.mlsuite.platform.inference;

/** Life cycle of one configured model in the {@link ModelRegistry}. */
public enum ModelState {

    /** Waiting for its turn to load. */
    PENDING,

    /** The factory is reading the weights. */
    LOADING,

    /** Loaded; the first forward pass is running. */
    WARMING_UP,

    /** Warm and serving requests. */
    READY,

    /** Loading or warm-up threw; the model serves no requests. */
    FAILED,

    /** Native memory freed at shutdown. */
    CLOSED
}
