package dev.mlsuite.inference.api;

import java.util.List;

/**
 * Computes outputs for a batch of inputs in one call.
 *
 * <p>The returned list has one output per input, in input order. Implementations must not
 * return NDArrays from a memory scope that closes after the call.
 *
 * @param <I> input of one request
 * @param <O> output of one request
 */
@FunctionalInterface
public interface BatchPredictor<I, O> {

    /** Returns one output per input, in input order. */
    List<O> predictBatch(List<I> inputs);
}
