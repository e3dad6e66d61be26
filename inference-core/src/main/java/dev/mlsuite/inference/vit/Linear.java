package dev.mlsuite.inference.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Affine layer {@code x W^T + b} with {@code weight [out, in]} and {@code bias [out]}, named {@code prefix.weight/bias}. */
public final class Linear {

    private final NDArray weight; // [out, in]
    private final NDArray bias; // [out]

    public Linear(VitWeights weights, String prefix, int inFeatures, int outFeatures) {
        this.weight = weights.require(prefix + ".weight", new Shape(outFeatures, inFeatures));
        this.bias = weights.require(prefix + ".bias", new Shape(outFeatures));
    }

    /** Maps {@code x [..., in]} to {@code [..., out]}. */
    public NDArray forward(NDArray x) {
        NDArray transposed = weight.transpose(); // a view, owned by the call's manager so it is freed with it
        transposed.attach(x.getManager());
        return x.matMul(transposed).add(bias);
    }
}
