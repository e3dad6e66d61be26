package dev.mlsuite.inference.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** SwiGLU feed-forward block: {@code down_proj(silu(gate_proj(x)) * up_proj(x))}. */
final class LlamaMlp {

    // Checkpoint layout, transposed per call (views owned by the call's manager) so that gradients
    // reach these arrays when they are trained.
    private final NDArray gate; // [intermediate, hidden]
    private final NDArray up; // [intermediate, hidden]
    private final NDArray down; // [hidden, intermediate]

    LlamaMlp(NDArray gate, NDArray up, NDArray down) {
        this.gate = gate;
        this.up = up;
        this.down = down;
    }

    /** Maps {@code x [batch, tokens, hidden]} to {@code [batch, tokens, hidden]}. */
    NDArray forward(NDArray x) {
        NDArray gateInput = x.matMul(LlamaAttention.transposed(gate, x)); // [batch, tokens, intermediate]
        NDArray gated = gateInput.mul(Activation.sigmoid(gateInput)); // SiLU
        NDArray upProjected = x.matMul(LlamaAttention.transposed(up, x));
        return gated.mul(upProjected).matMul(LlamaAttention.transposed(down, x));
    }
}
