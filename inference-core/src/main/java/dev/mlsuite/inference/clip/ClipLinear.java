package dev.mlsuite.inference.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;
import dev.mlsuite.inference.io.Checkpoint;

/** Weight {@code [out, in]} and optional bias {@code [out]} of a {@code torch.nn.Linear} layer. */
record ClipLinear(NDArray weight, NDArray bias) {

    /** Loads {@code <module>.weight} and {@code <module>.bias}, checking both shapes. */
    static ClipLinear load(Checkpoint checkpoint, String module, int inFeatures, int outFeatures, NDManager manager) {
        NDArray weight = checkpoint.loadFloat(module + ".weight", manager, outFeatures, inFeatures);
        NDArray bias = checkpoint.loadFloat(module + ".bias", manager, outFeatures);
        return new ClipLinear(weight, bias);
    }

    /** Loads {@code <module>.weight} of a Linear layer without bias, such as {@code visual_projection}. */
    static ClipLinear loadWithoutBias(Checkpoint checkpoint, String module, int inFeatures, int outFeatures,
            NDManager manager) {
        return new ClipLinear(checkpoint.loadFloat(module + ".weight", manager, outFeatures, inFeatures), null);
    }

    /** Returns {@code input @ weight^T + bias}: {@code [..., in] -> [..., out]}. */
    NDArray apply(NDArray input) {
        return (bias == null ? Linear.linear(input, weight) : Linear.linear(input, weight, bias)).singletonOrThrow();
    }
}
