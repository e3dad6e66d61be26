package dev.mlsuite.inference.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A {@link TensorSource} with the checks that model loaders need: each tensor is read as
 * float32 after its dtype and shape are checked against what the model expects, and the
 * names that were never read can be listed afterwards.
 */
public final class Checkpoint implements AutoCloseable {

    private static final int MAX_SUGGESTIONS = 5;

    private final TensorSource source;
    private final Set<String> readNames = ConcurrentHashMap.newKeySet();

    public Checkpoint(TensorSource source) {
        this.source = source;
    }

    public TensorSource source() {
        return source;
    }

    public String description() {
        return source.description();
    }

    public boolean contains(String name) {
        return source.contains(name);
    }

    /**
     * Reads a floating-point tensor as float32 into {@code manager} after checking its shape.
     *
     * @param expectedShape the shape the model needs, for example {@code [out, in]} of a Linear weight
     * @throws CheckpointException if the tensor is missing, is not floating point, or has another shape
     */
    public NDArray loadFloat(String name, NDManager manager, long... expectedShape) {
        TensorInfo info = source.info(name);
        if (!info.dataType().isFloating()) {
            throw new CheckpointException(source.description() + ": tensor '" + name + "' has dtype "
                    + info.dataType().name() + ", expected FLOAT32, FLOAT16, BFLOAT16 or FLOAT64");
        }
        requireShape(source.description(), name, info.shape(), expectedShape);

        NDArray stored = source.load(name, manager);
        readNames.add(name);
        if (stored.getDataType() == DataType.FLOAT32) {
            return stored;
        }
        NDArray converted = stored.toType(DataType.FLOAT32, false);
        stored.close();
        return converted;
    }

    /** Reads a tensor in its stored dtype and marks it as read. */
    public NDArray load(String name, NDManager manager) {
        NDArray array = source.load(name, manager);
        readNames.add(name);
        return array;
    }

    /** Returns the names of the tensors that no call to {@code load} or {@code loadFloat} has read, sorted. */
    public Set<String> unreadNames() {
        Set<String> unread = new TreeSet<>(source.names());
        unread.removeAll(readNames);
        return unread;
    }

    /**
     * Checks that a tensor has the expected shape.
     *
     * @param description where the tensor comes from, such as the file path
     * @throws CheckpointException naming the tensor, the expected and the actual shape
     */
    public static void requireShape(String description, String name, Shape actual, long... expected) {
        if (!Arrays.equals(actual.getShape(), expected)) {
            throw new CheckpointException(description + ": tensor '" + name + "' has shape "
                    + Arrays.toString(actual.getShape()) + ", expected " + Arrays.toString(expected));
        }
    }

    /**
     * Builds the error for a tensor name that a source does not contain, listing a few stored names
     * that end with the same last component as a hint.
     */
    public static CheckpointException tensorNotFound(String description, String name, Set<String> available) {
        String lastComponent = name.substring(name.lastIndexOf('.') + 1);
        String similar = available.stream()
                .filter(candidate -> candidate.endsWith(lastComponent))
                .limit(MAX_SUGGESTIONS)
                .collect(Collectors.joining(", "));
        String hint = similar.isEmpty()
                ? "it contains " + available.size() + " tensors"
                : "similar names: " + similar;
        return new CheckpointException(description + ": tensor '" + name + "' not found (" + hint + ")");
    }

    @Override
    public void close() {
        source.close();
    }
}
