package dev.mlsuite.inference.api;

import java.util.function.Function;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Runs work in a sub-manager that is closed afterwards, so that every NDArray created for one
 * request or batch is freed when the work returns or throws.
 */
public final class NDScopes {

    private NDScopes() {
    }

    /**
     * Applies {@code work} to a new sub-manager of {@code parent} and closes that sub-manager.
     *
     * <p>The result must not be an NDArray of the sub-manager, because closing the sub-manager
     * frees it. Copy values to Java arrays, or attach a result to a longer-lived manager with
     * {@link NDArray#attach(NDManager)} before returning it.
     */
    public static <T> T apply(NDManager parent, Function<NDManager, T> work) {
        try (NDManager scope = parent.newSubManager()) {
            return work.apply(scope);
        }
    }

    /** Returns the number of NDArrays that are open in {@code manager} and its sub-managers. */
    public static int openArrayCount(NDManager manager) {
        return manager.getManagedArrays().size();
    }
}
