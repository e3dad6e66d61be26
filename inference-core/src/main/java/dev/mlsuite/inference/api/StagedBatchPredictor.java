package dev.mlsuite.inference.api;

import java.util.List;

import ai.djl.ndarray.NDManager;

/**
 * A {@link BatchPredictor} split into preprocess, forward and postprocess stages, so that a
 * caller can time each stage and scope the native memory of one batch.
 *
 * <p>Every NDArray of one batch is created in a sub-manager of {@link #manager()} that is closed
 * after {@link #postprocess}, so outputs must be plain Java values.
 *
 * @param <I> input of one request
 * @param <B> model input of a whole batch, e.g. an {@code NDList} of token ids
 * @param <R> model output of a whole batch, e.g. an {@code NDList} of logits
 * @param <O> output of one request
 */
public interface StagedBatchPredictor<I, B, R, O> extends BatchPredictor<I, O> {

    /** Long-lived manager of the model; each batch runs in a sub-manager of it. */
    NDManager manager();

    /** Turns the requests into model input, creating NDArrays in {@code batchManager}. */
    B preprocess(NDManager batchManager, List<I> inputs);

    /** Runs the model on one batch. */
    R forward(NDManager batchManager, B batch);

    /** Splits the model output into one output per input, in input order. */
    List<O> postprocess(NDManager batchManager, R result, List<I> inputs);

    /** Runs the three stages inside one sub-manager of {@link #manager()}. */
    @Override
    default List<O> predictBatch(List<I> inputs) {
        return NDScopes.apply(manager(), batchManager -> {
            B batch = preprocess(batchManager, inputs);
            R result = forward(batchManager, batch);
            return postprocess(batchManager, result, inputs);
        });
    }
}
