package dev.mlsuite.inference.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.generation.KvCache;
import dev.mlsuite.inference.generation.ModelInput;
import dev.mlsuite.inference.generation.PaddingSide;
import java.util.List;

/**
 * Placement of each sequence's tokens in a padded batch tensor, with the attention mask and
 * positions that follow from it.
 *
 * <p>Row {@code b} contains {@code counts[b]} new tokens starting at column {@code offsets[b]}; its cache
 * already contains {@code pastLengths[b]} tokens, so new token {@code t} has position
 * {@code pastLengths[b] + t - offsets[b]}. Keys of row {@code b} are its cached and new tokens in
 * order, right-padded to {@code keyLength} columns.
 */
final class BatchLayout {

    /** Additive mask value for forbidden keys; finite so that fully masked rows cannot produce NaN. */
    static final float MASKED = -1e9f;

    final int batch;
    final int tokens;
    final int keyLength;
    final int[] offsets;
    final int[] counts;
    final int[] pastLengths;
    final int[][] inputIds; // [batch][tokens], 0 at padding
    final int[][] positions; // [batch][tokens], 0 at padding
    final List<ModelInput> inputs;

    private BatchLayout(List<ModelInput> inputs, PaddingSide padding) {
        this.inputs = inputs;
        this.batch = inputs.size();
        this.offsets = new int[batch];
        this.counts = new int[batch];
        this.pastLengths = new int[batch];

        int maxTokens = 0;
        int maxKeys = 0;
        for (int b = 0; b < batch; b++) {
            counts[b] = inputs.get(b).tokens().length;
            pastLengths[b] = inputs.get(b).cache().length();
            maxTokens = Math.max(maxTokens, counts[b]);
            maxKeys = Math.max(maxKeys, pastLengths[b] + counts[b]);
        }
        this.tokens = maxTokens;
        this.keyLength = maxKeys;

        this.inputIds = new int[batch][tokens];
        this.positions = new int[batch][tokens];
        for (int b = 0; b < batch; b++) {
            offsets[b] = padding == PaddingSide.LEFT ? tokens - counts[b] : 0;
            int[] rowTokens = inputs.get(b).tokens();
            for (int i = 0; i < counts[b]; i++) {
                inputIds[b][offsets[b] + i] = rowTokens[i];
                positions[b][offsets[b] + i] = pastLengths[b] + i;
            }
        }
    }

    static BatchLayout of(List<ModelInput> inputs, PaddingSide padding) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("A forward pass needs at least one input");
        }
        return new BatchLayout(inputs, padding);
    }

    KvCache cache(int row) {
        return inputs.get(row).cache();
    }

    /** Returns the largest position in the batch plus one, i.e. the context length it needs. */
    int requiredContext() {
        return keyLength;
    }

    /**
     * Builds the additive causal and padding mask {@code [batch, 1, tokens, keyLength]}: new token
     * {@code t} of row {@code b} attends to key {@code j} when {@code j <= its position}. Padding
     * queries attend only to key 0, so their softmax stays finite; their outputs are never read.
     */
    NDArray attentionMask(NDManager scope) {
        float[] mask = new float[batch * tokens * keyLength];
        java.util.Arrays.fill(mask, MASKED);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < tokens; t++) {
                int base = (b * tokens + t) * keyLength;
                boolean real = t >= offsets[b] && t < offsets[b] + counts[b];
                int visible = real ? positions[b][t] + 1 : 1;
                java.util.Arrays.fill(mask, base, base + visible, 0f);
            }
        }
        return scope.create(mask, new Shape(batch, 1, tokens, keyLength));
    }

    /** Returns the flat index {@code b * tokens + t} of each row's last new token. */
    long[] lastTokenIndices() {
        long[] indices = new long[batch];
        for (int b = 0; b < batch; b++) {
            indices[b] = (long) b * tokens + offsets[b] + counts[b] - 1;
        }
        return indices;
    }
}
