package dev.mlsuite.inference.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Named weights of a LLaMA checkpoint, looked up by Hugging Face parameter name and checked against
 * the expected shape.
 */
@FunctionalInterface
public interface LlamaWeights {

    /**
     * Returns the tensor {@code name} as float32 with shape {@code expected}.
     *
     * @throws dev.mlsuite.inference.engine.EngineStartupException when the tensor is missing or its
     *     shape differs, naming the tensor and the checkpoint
     */
    NDArray require(String name, Shape expected);
}
