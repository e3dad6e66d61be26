package dev.mlsuite.inference.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/** A decoder-only language model that runs batched forward passes over per-sequence KV caches. */
public interface CausalLanguageModel extends AutoCloseable {

    /** Returns a name that identifies the weights, stored in serialised sequence state. */
    String name();

    int vocabSize();

    /** Returns the maximum number of positions, prompt and generated tokens together. */
    int maxSequenceLength();

    /** Creates an empty cache for one sequence, owned by a new manager under the model's manager. */
    KvCache newCache();

    /**
     * Runs the new tokens of each input through the model in one batch, commits their keys and
     * values to each input's cache, and returns the logits after each input's last token.
     *
     * @param scope manager of every intermediate array and of the result; the caller closes it
     * @param padding where shorter inputs are padded in the batch tensor
     * @return logits, {@code [batch, vocab]}, in {@code scope}
     */
    NDArray forward(NDManager scope, List<ModelInput> inputs, PaddingSide padding);

    /**
     * Runs the batch like {@link #forward} but returns the logits at every position, as training and
     * perplexity evaluation need. Padded positions hold logits that mean nothing and must be masked.
     *
     * @return logits, {@code [batch, tokens, vocab]}, in {@code scope}; row {@code b}'s tokens sit at
     *     columns {@code 0..n-1} with right padding and at the last {@code n} columns with left padding
     */
    NDArray forwardAllPositions(NDManager scope, List<ModelInput> inputs, PaddingSide padding);

    /** Returns the manager that owns the weights; sequence managers are created under it. */
    NDManager manager();

    @Override
    void close();
}
