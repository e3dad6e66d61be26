package dev.mlsuite.inference.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Set;

/**
 * Named tensors of a checkpoint that are read on request.
 *
 * <p>Implementations read each tensor's data only when {@link #load} is called, so a caller can
 * validate names and shapes first. Closing the source releases open files; arrays already
 * loaded belong to the manager they were loaded into and stay valid.
 */
public interface TensorSource extends AutoCloseable {

    /** Returns a short description of where the tensors come from, such as a file path, for error messages. */
    String description();

    /** Returns the names of all tensors, sorted. */
    Set<String> names();

    default boolean contains(String name) {
        return names().contains(name);
    }

    /**
     * Returns the dtype and shape of a tensor.
     *
     * @throws CheckpointException if no tensor has that name
     */
    TensorInfo info(String name);

    /**
     * Reads a tensor in its stored dtype into {@code manager}, except that BF16 data arrives as a
     * float32 array: DJL 0.36's PyTorch engine aborts the JVM when it creates a BF16 array.
     *
     * @throws CheckpointException if no tensor has that name, or its data cannot be read
     */
    NDArray load(String name, NDManager manager);

    @Override
    void close();
}
