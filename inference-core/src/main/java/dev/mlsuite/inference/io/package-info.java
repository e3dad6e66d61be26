/**
 * Checkpoint readers: safetensors files (single or sharded with an index), Hugging Face
 * {@code config.json}, and, in {@code io.onnx}, the initializers of ONNX models. Every reader
 * exposes its tensors as a {@link dev.mlsuite.inference.io.TensorSource}, and
 * {@link dev.mlsuite.inference.io.Checkpoint} checks names, dtypes and shapes while a model loads.
 */
package dev.mlsuite.inference.io;
