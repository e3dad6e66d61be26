package dev.mlsuite.inference.io;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Name, stored dtype and shape of one tensor in a checkpoint, known without reading its data.
 *
 * @param name the tensor name as the checkpoint stores it
 * @param dataType the stored element type
 * @param shape the stored shape
 */
public record TensorInfo(String name, DataType dataType, Shape shape) {
}
