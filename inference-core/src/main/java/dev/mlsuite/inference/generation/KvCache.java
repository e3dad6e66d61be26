package dev.mlsuite.inference.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * Keys and values of one sequence for every attention layer, each {@code [kvHeads, tokens, headDim]}
 * and owned by this cache's manager, which {@link #close()} frees.
 *
 * <p>A forward pass first stages the new entries of every layer and commits them when all layers
 * succeeded, so a failed step leaves the cache as it was. Appending concatenates, so each step
 * copies the whole cache once per layer.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final int numLayers;
    private final int numKeyValueHeads;
    private final int headDim;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final NDArray[] stagedKeys;
    private final NDArray[] stagedValues;
    private int length;

    /**
     * Creates an empty cache whose arrays belong to {@code manager}; the cache closes the manager.
     */
    public KvCache(NDManager manager, int numLayers, int numKeyValueHeads, int headDim) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.numLayers = numLayers;
        this.numKeyValueHeads = numKeyValueHeads;
        this.headDim = headDim;
        this.keys = new NDArray[numLayers];
        this.values = new NDArray[numLayers];
        this.stagedKeys = new NDArray[numLayers];
        this.stagedValues = new NDArray[numLayers];
    }

    /** Returns the number of committed tokens. */
    public int length() {
        return length;
    }

    public int numLayers() {
        return numLayers;
    }

    public int numKeyValueHeads() {
        return numKeyValueHeads;
    }

    public int headDim() {
        return headDim;
    }

    public NDManager manager() {
        return manager;
    }

    /**
     * Stages the keys and values of new tokens at {@code layer} and returns the keys and values of
     * all tokens, committed and new, each {@code [kvHeads, length + newTokens, headDim]}.
     *
     * @param newKeys {@code [kvHeads, newTokens, headDim]}
     * @param newValues {@code [kvHeads, newTokens, headDim]}
     */
    public NDArray[] stage(int layer, NDArray newKeys, NDArray newValues) {
        Shape expected = new Shape(numKeyValueHeads, newKeys.getShape().get(1), headDim);
        if (!newKeys.getShape().equals(expected) || !newValues.getShape().equals(expected)) {
            throw new IllegalArgumentException("New keys " + newKeys.getShape() + " and values " + newValues.getShape()
                    + " do not match the cache layout " + expected);
        }
        discardStaged(layer);

        NDArray allKeys = keys[layer] == null ? newKeys.duplicate() : NDArrays.concat(new NDList(keys[layer], newKeys), 1);
        NDArray allValues =
                values[layer] == null ? newValues.duplicate() : NDArrays.concat(new NDList(values[layer], newValues), 1);
        allKeys.attach(manager);
        allValues.attach(manager);
        stagedKeys[layer] = allKeys;
        stagedValues[layer] = allValues;
        return new NDArray[] {allKeys, allValues};
    }

    /** Makes the staged entries of every layer part of the cache and frees the replaced arrays. */
    public void commit(int newTokens) {
        for (int layer = 0; layer < numLayers; layer++) {
            if (stagedKeys[layer] == null) {
                throw new IllegalStateException("Layer " + layer + " has no staged entries; stage every layer before commit");
            }
        }
        for (int layer = 0; layer < numLayers; layer++) {
            closeQuietly(keys[layer]);
            closeQuietly(values[layer]);
            keys[layer] = stagedKeys[layer];
            values[layer] = stagedValues[layer];
            stagedKeys[layer] = null;
            stagedValues[layer] = null;
        }
        length += newTokens;
    }

    /** Frees entries staged by a forward pass that did not finish. */
    public void rollback() {
        for (int layer = 0; layer < numLayers; layer++) {
            discardStaged(layer);
        }
    }

    /** Returns the committed keys of {@code layer}, {@code [kvHeads, length, headDim]}, or null when empty. */
    public NDArray keys(int layer) {
        return keys[layer];
    }

    /** Returns the committed values of {@code layer}, {@code [kvHeads, length, headDim]}, or null when empty. */
    public NDArray values(int layer) {
        return values[layer];
    }

    /**
     * Replaces the whole cache by arrays read elsewhere, e.g. from serialised state; the arrays are
     * attached to this cache's manager.
     */
    void restore(NDArray[] restoredKeys, NDArray[] restoredValues, int restoredLength) {
        for (int layer = 0; layer < numLayers; layer++) {
            closeQuietly(keys[layer]);
            closeQuietly(values[layer]);
            restoredKeys[layer].attach(manager);
            restoredValues[layer].attach(manager);
            keys[layer] = restoredKeys[layer];
            values[layer] = restoredValues[layer];
        }
        length = restoredLength;
    }

    private void discardStaged(int layer) {
        closeQuietly(stagedKeys[layer]);
        closeQuietly(stagedValues[layer]);
        stagedKeys[layer] = null;
        stagedValues[layer] = null;
    }

    private static void closeQuietly(NDArray array) {
        if (array != null) {
            array.close();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
