package dev.mlsuite.inference.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Named weights of a vision checkpoint, looked up by Hugging Face parameter name (for example
 * {@code encoder.layers.0.self_attn.q_proj.weight}) and checked against the expected shape.
 *
 * <p>The modules of this package keep the returned arrays as they are and transpose them per call,
 * so arrays that require gradients can be trained through them.
 */
@FunctionalInterface
public interface VitWeights {

    /**
     * Returns the float32 tensor {@code name} with shape {@code expected}.
     *
     * @throws IllegalArgumentException when the tensor is missing or its shape differs
     */
    NDArray require(String name, Shape expected);

    /** Returns weights that look names up with {@code prefix} prepended, such as {@code "vision_model."}. */
    default VitWeights withPrefix(String prefix) {
        return (name, expected) -> require(prefix + name, expected);
    }
}
