package dev.mlsuite.inference.llama;

/** Pairing of a head's dimensions that rotary position embeddings rotate together. */
public enum RopeStyle {
    /** Adjacent pairs {@code (0,1), (2,3), ...}, as llama2.c and Meta's original LLaMA code do. */
    INTERLEAVED,
    /**
     * Dimension {@code i} with {@code i + headDim/2}, as Hugging Face {@code transformers} does
     * ({@code rotate_half}); HF checkpoints store {@code q_proj} and {@code k_proj} permuted to match.
     */
    HALF
}
