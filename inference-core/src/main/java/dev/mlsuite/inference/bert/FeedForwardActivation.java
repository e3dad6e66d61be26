package dev.mlsuite.inference.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The activations that Hugging Face BERT configurations name in {@code hidden_act}. */
enum FeedForwardActivation {

    /** {@code x * Φ(x)} with the exact normal CDF, as PyTorch's {@code gelu} without approximation computes it. */
    GELU,
    /** The tanh approximation of GELU ({@code gelu_new}, {@code gelu_pytorch_tanh}). */
    GELU_TANH,
    RELU;

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    static FeedForwardActivation of(String hiddenAct) {
        return switch (hiddenAct) {
            case "gelu" -> GELU;
            case "gelu_new", "gelu_pytorch_tanh" -> GELU_TANH;
            case "relu" -> RELU;
            default -> throw new IllegalArgumentException("hidden_act '" + hiddenAct
                    + "' is not supported; use gelu, gelu_new, gelu_pytorch_tanh or relu");
        };
    }

    NDArray apply(NDArray x) {
        return switch (this) {
            // The PyTorch engine runs torch.nn.functional.gelu with approximate='none', the erf form.
            case GELU -> Activation.gelu(x);
            case GELU_TANH -> {
                NDArray inner = x.pow(3).mul(0.044715).add(x).mul(SQRT_2_OVER_PI);
                yield x.mul(0.5).mul(inner.tanh().add(1));
            }
            case RELU -> Activation.relu(x);
        };
    }
}
