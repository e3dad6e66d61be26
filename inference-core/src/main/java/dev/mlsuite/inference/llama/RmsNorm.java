package dev.mlsuite.inference.llama;

import ai.djl.ndarray.NDArray;

/** Root-mean-square layer normalisation with a learned scale and no bias or mean subtraction. */
final class RmsNorm {

    private final NDArray weight; // [hidden]
    private final float eps;

    RmsNorm(NDArray weight, float eps) {
        this.weight = weight;
        this.eps = eps;
    }

    /** Returns {@code x / sqrt(mean(x^2) + eps) * weight} over the last axis of {@code x [..., hidden]}. */
    NDArray forward(NDArray x) {
        NDArray meanSquare = x.square().mean(new int[] {-1}, true);
        NDArray rms = meanSquare.add(eps).sqrt();
        return x.div(rms).mul(weight);
    }
}
