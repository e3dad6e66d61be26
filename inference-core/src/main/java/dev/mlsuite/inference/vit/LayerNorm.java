package dev.mlsuite.inference.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Layer normalisation over the last axis with a learned scale and shift, named {@code prefix.weight/bias}. */
public final class LayerNorm {

    private final NDArray weight; // [hidden]
    private final NDArray bias; // [hidden]
    private final float eps;

    public LayerNorm(VitWeights weights, String prefix, int hidden, float eps) {
        this.weight = weights.require(prefix + ".weight", new Shape(hidden));
        this.bias = weights.require(prefix + ".bias", new Shape(hidden));
        this.eps = eps;
    }

    /** Returns {@code (x - mean) / sqrt(var + eps) * weight + bias} over the last axis of {@code x [..., hidden]}. */
    public NDArray forward(NDArray x) {
        NDArray mean = x.mean(new int[] {-1}, true);
        NDArray centred = x.sub(mean);
        NDArray variance = centred.square().mean(new int[] {-1}, true);
        return centred.div(variance.add(eps).sqrt()).mul(weight).add(bias);
    }
}
