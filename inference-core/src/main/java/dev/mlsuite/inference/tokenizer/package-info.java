/**
 * Hugging Face {@code tokenizer.json} tokenizers through DJL's binding of the Rust
 * {@code tokenizers} library, and padded token batches.
 */
package dev.mlsuite.inference.tokenizer;
