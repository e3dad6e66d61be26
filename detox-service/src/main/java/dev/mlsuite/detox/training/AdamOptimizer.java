package dev.mlsuite.detox.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015) with bias correction over arrays that require gradients, updated in
 * place with gradient recording switched off. Gradients are reset to zero after each step.
 *
 * <p>Every temporary array, the gradient handles included, lives in a sub-manager that is closed
 * before the method returns, so long runs do not accumulate native memory.
 */
public final class AdamOptimizer {

    private final List<NDArray> parameters;
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private int step;

    public AdamOptimizer(List<NDArray> parameters, NDManager stateManager) {
        this(parameters, stateManager, 0.9f, 0.999f, 1e-8f);
    }

    public AdamOptimizer(List<NDArray> parameters, NDManager stateManager, float beta1, float beta2, float epsilon) {
        this.parameters = List.copyOf(parameters);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        for (NDArray parameter : parameters) {
            firstMoments.add(stateManager.zeros(parameter.getShape()));
            secondMoments.add(stateManager.zeros(parameter.getShape()));
        }
    }

    /** Applies one update with {@code learningRate} from the gradients of the last backward pass. */
    public void step(float learningRate) {
        step++;
        float correction1 = 1f - (float) Math.pow(beta1, step);
        float correction2 = 1f - (float) Math.pow(beta2, step);
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int i = 0; i < parameters.size(); i++) {
                NDArray parameter = parameters.get(i);
                NDArray m = firstMoments.get(i);
                NDArray v = secondMoments.get(i);
                try (NDManager scope = parameter.getManager().newSubManager()) {
                    NDArray gradient = gradientIn(scope, parameter);
                    m.muli(beta1).addi(gradient.mul(1f - beta1));
                    v.muli(beta2).addi(gradient.square().mul(1f - beta2));

                    NDArray correctedFirst = m.div(correction1);
                    correctedFirst.attach(scope);
                    NDArray correctedSecond = v.div(correction2);
                    correctedSecond.attach(scope);
                    NDArray update = correctedFirst.div(correctedSecond.sqrt().add(epsilon)).mul(learningRate);
                    parameter.subi(update);
                    gradient.subi(gradient);
                }
            }
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    /** Sets every gradient to zero without updating the parameters. */
    public void zeroGradients() {
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (NDArray parameter : parameters) {
                try (NDManager scope = parameter.getManager().newSubManager()) {
                    // set, not subtract: an infinite entry minus itself would leave NaN behind.
                    gradientIn(scope, parameter).set(new NDIndex("..."), 0f);
                }
            }
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    /** Returns the global L2 norm of the current gradients. */
    public double gradientNorm() {
        double sum = 0;
        for (NDArray parameter : parameters) {
            try (NDManager scope = parameter.getManager().newSubManager()) {
                sum += gradientIn(scope, parameter).square().sum().getFloat();
            }
        }
        return Math.sqrt(sum);
    }

    /** Scales every gradient so that their global norm is at most {@code maxNorm}; returns the norm before. */
    public double clipGradients(double maxNorm) {
        double norm = gradientNorm();
        if (norm > maxNorm) {
            boolean recording = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try {
                for (NDArray parameter : parameters) {
                    try (NDManager scope = parameter.getManager().newSubManager()) {
                        gradientIn(scope, parameter).muli((float) (maxNorm / norm));
                    }
                }
            } finally {
                JniUtils.setGradMode(recording);
            }
        }
        return norm;
    }

    /**
     * Returns a handle to the gradient of {@code parameter} owned by {@code scope}. Closing the handle
     * leaves the gradient itself in place, and arrays computed from it land in {@code scope}.
     */
    private static NDArray gradientIn(NDManager scope, NDArray parameter) {
        NDArray gradient = parameter.getGradient();
        gradient.attach(scope);
        return gradient;
    }
}
