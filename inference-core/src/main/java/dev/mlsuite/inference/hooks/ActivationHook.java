package dev.mlsuite.inference.hooks;

import ai.djl.ndarray.NDArray;

/**
 * A callback at a named hook point inside a forward pass, which reads the activation or returns a
 * replacement for it.
 */
@FunctionalInterface
public interface ActivationHook {

    /**
     * Receives the activation at {@code hookName} and returns the activation the forward pass goes
     * on with: {@code activation} itself to only read it, or a new array of the same shape and data
     * type. Arrays created here should come from {@code activation.getManager()}, which the model
     * closes after the step, so nothing outlives the forward pass by accident.
     *
     * @param hookName e.g. {@code blocks.3.hook_resid_post}
     * @param activation residual stream, {@code [batch, tokens, hidden]}; padded positions included
     */
    NDArray apply(String hookName, NDArray activation);
}
