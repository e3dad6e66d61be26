/**
 * BERT encoders written as DJL {@code NDArray} code, loading Hugging Face checkpoints unchanged.
 *
 * <p>{@link dev.mlsuite.inference.bert.BertEncoder} is the entry point:
 * <pre>{@code
 * try (BertEncoder encoder = BertEncoder.load(Path.of("models/my-bert"), Device.cpu())) {
 *     float[][] embeddings = encoder.embed(List.of("First text.", "Second text."));
 * }
 * }</pre>
 * {@link dev.mlsuite.inference.bert.BertEncoder#forward} returns the token states for callers that
 * put their own head on top, and {@link dev.mlsuite.inference.bert.BertLayerHook} reads or replaces
 * the tokens between the attention and feed-forward block of every layer.
 * {@link dev.mlsuite.inference.bert.BertModelFactory} registers the encoder as model type {@code bert}.
 */
package dev.mlsuite.inference.bert;
