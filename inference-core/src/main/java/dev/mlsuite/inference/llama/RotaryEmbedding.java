package dev.mlsuite.inference.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings (RoFormer): dimension pair {@code i} of every head turns by the angle
 * {@code position * theta^(-2i / headDim)}. {@link RopeStyle} decides which two dimensions form pair
 * {@code i}.
 */
final class RotaryEmbedding {

    private final int headDim;
    private final RopeStyle style;
    private final float[] inverseFrequencies; // [headDim / 2]

    RotaryEmbedding(int headDim, float theta, RopeStyle style) {
        this.headDim = headDim;
        this.style = style;
        this.inverseFrequencies = new float[headDim / 2];
        for (int i = 0; i < headDim / 2; i++) {
            // Single precision as in llama2.c: 1.0f / powf(theta, 2i / (float) headDim).
            inverseFrequencies[i] = (float) (1.0 / Math.pow(theta, (2 * i) / (float) headDim));
        }
    }

    /** Cosines and sines of the rotation angles, each {@code [batch, tokens, 1, headDim / 2]}. */
    record Angles(NDArray cos, NDArray sin) {
    }

    /** Computes the rotation angles of {@code positions [batch][tokens]} in {@code scope}. */
    Angles angles(NDManager scope, int[][] positions) {
        int batch = positions.length;
        int tokens = positions[0].length;
        int half = headDim / 2;
        float[] cos = new float[batch * tokens * half];
        float[] sin = new float[cos.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < tokens; t++) {
                int base = (b * tokens + t) * half;
                for (int i = 0; i < half; i++) {
                    float angle = positions[b][t] * inverseFrequencies[i];
                    cos[base + i] = (float) Math.cos(angle);
                    sin[base + i] = (float) Math.sin(angle);
                }
            }
        }
        Shape shape = new Shape(batch, tokens, 1, half);
        return new Angles(scope.create(cos, shape), scope.create(sin, shape));
    }

    /** Rotates {@code x [batch, tokens, heads, headDim]} by {@code angles}. */
    NDArray apply(NDArray x, Angles angles) {
        return style == RopeStyle.INTERLEAVED ? rotateInterleaved(x, angles) : rotateHalves(x, angles);
    }

    private NDArray rotateInterleaved(NDArray x, Angles angles) {
        Shape shape = x.getShape();
        NDArray pairs = x.reshape(shape.get(0), shape.get(1), shape.get(2), headDim / 2, 2);
        NDArray even = pairs.get(new NDIndex("..., 0")); // [batch, tokens, heads, headDim / 2]
        NDArray odd = pairs.get(new NDIndex("..., 1"));

        NDArray rotatedEven = even.mul(angles.cos()).sub(odd.mul(angles.sin()));
        NDArray rotatedOdd = even.mul(angles.sin()).add(odd.mul(angles.cos()));
        return NDArrays.stack(new NDList(rotatedEven, rotatedOdd), -1).reshape(shape);
    }

    private NDArray rotateHalves(NDArray x, Angles angles) {
        int half = headDim / 2;
        NDArray first = x.get(new NDIndex("..., :" + half));
        NDArray second = x.get(new NDIndex("..., " + half + ":"));

        NDArray rotatedFirst = first.mul(angles.cos()).sub(second.mul(angles.sin()));
        NDArray rotatedSecond = second.mul(angles.cos()).add(first.mul(angles.sin()));
        return NDArrays.concat(new NDList(rotatedFirst, rotatedSecond), -1);
    }
}
