package dev.mlsuite.inference.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** Feed-forward block {@code fc2(gelu(fc1(x)))}, named {@code prefix.fc1} and {@code prefix.fc2}. */
public final class VitMlp {

    private final Linear fc1;
    private final Linear fc2;

    public VitMlp(VitWeights weights, String prefix, int hidden, int intermediate) {
        this.fc1 = new Linear(weights, prefix + ".fc1", hidden, intermediate);
        this.fc2 = new Linear(weights, prefix + ".fc2", intermediate, hidden);
    }

    /** Maps {@code x [..., hidden]} to {@code [..., hidden]}. */
    public NDArray forward(NDArray x) {
        return fc2.forward(Activation.gelu(fc1.forward(x)));
    }
}
