package dev.mlsuite.inference.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import dev.mlsuite.inference.io.Checkpoint;

/** Scale ({@code weight}) and shift ({@code bias}) of a LayerNorm over the last axis. */
record ClipLayerNorm(NDArray weight, NDArray bias, float eps) {

    static ClipLayerNorm load(Checkpoint checkpoint, String module, int size, double eps, NDManager manager) {
        NDArray weight = checkpoint.loadFloat(module + ".weight", manager, size);
        NDArray bias = checkpoint.loadFloat(module + ".bias", manager, size);
        return new ClipLayerNorm(weight, bias, (float) eps);
    }

    /** Normalizes {@code input [..., size]} over its last axis. */
    NDArray apply(NDArray input) {
        return LayerNorm.layerNorm(input, new Shape(weight.getShape().get(0)), weight, bias, eps).singletonOrThrow();
    }
}
