package dev.mlsuite.inference.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** SwiGLU feed-forward block: {@code down_proj(silu(gate_proj(x)) * up_proj(x))}. */
final class LlamaMlp {

    private final NDArray gateTransposed; // [hidden, intermediate]
    private final NDArray upTransposed; // [hidden, intermediate]
    private final NDArray downTransposed; // [intermediate, hidden]

    LlamaMlp(NDArray gate, NDArray up, NDArray down) {
        this.gateTransposed = gate.transpose();
        this.upTransposed = up.transpose();
        this.downTransposed = down.transpose();
    }

    /** Maps {@code x [batch, tokens, hidden]} to {@code [batch, tokens, hidden]}. */
    NDArray forward(NDArray x) {
        NDArray gateInput = x.matMul(gateTransposed); // [batch, tokens, intermediate]
        NDArray gate = gateInput.mul(Activation.sigmoid(gateInput)); // SiLU
        NDArray up = x.matMul(upTransposed);
        return gate.mul(up).matMul(downTransposed);
    }
}
