package dev.mlsuite.inference.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;
import dev.mlsuite.inference.io.Checkpoint;

/** Weight {@code [out, in]} and bias {@code [out]} of a {@code torch.nn.Linear} layer. */
record LinearWeights(NDArray weight, NDArray bias) {

    /** Loads {@code <module>.weight} and {@code <module>.bias}, checking both shapes. */
    static LinearWeights load(Checkpoint checkpoint, String module, int inFeatures, int outFeatures,
            NDManager manager) {
        NDArray weight = checkpoint.loadFloat(module + ".weight", manager, outFeatures, inFeatures);
        NDArray bias = checkpoint.loadFloat(module + ".bias", manager, outFeatures);
        return new LinearWeights(weight, bias);
    }

    /** Returns {@code input @ weight^T + bias}: {@code [..., in] -> [..., out]}. */
    NDArray apply(NDArray input) {
        return Linear.linear(input, weight, bias).singletonOrThrow();
    }
}
