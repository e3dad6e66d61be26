package dev.mlsuite.inference.io.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.io.Checkpoint;
import dev.mlsuite.inference.io.TensorInfo;
import dev.mlsuite.inference.io.TensorSource;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The initializers of an ONNX model as a {@link TensorSource}, optionally with the names of
 * Linear weights recovered from the graph (see {@link LinearWeightNames}).
 */
public final class OnnxInitializers implements TensorSource {

    private final OnnxModel model;
    private final Map<String, Entry> entries;

    private OnnxInitializers(OnnxModel model, Map<String, Entry> entries) {
        this.model = model;
        this.entries = entries;
    }

    /** Returns every initializer under its stored name and in its stored layout. */
    public static OnnxInitializers of(OnnxModel model) {
        Map<String, Entry> entries = new TreeMap<>();
        model.initializers().forEach((name, tensor) -> entries.put(name, new Entry(tensor, false)));
        return new OnnxInitializers(model, Collections.unmodifiableMap(entries));
    }

    /**
     * Returns the initializers with each Linear weight that {@link LinearWeightNames#recover} names
     * listed under its recovered name and transposed to the PyTorch layout {@code [out, in]}. The
     * stored names of those weights are no longer listed.
     */
    public static OnnxInitializers withRecoveredLinearWeights(OnnxModel model) {
        Map<String, String> recovered = LinearWeightNames.recover(model);
        Set<String> renamed = new HashSet<>(recovered.values());
        Map<String, Entry> entries = new TreeMap<>();
        model.initializers().forEach((name, tensor) -> {
            if (!renamed.contains(name)) {
                entries.put(name, new Entry(tensor, false));
            }
        });
        recovered.forEach((newName, storedName) ->
                entries.put(newName, new Entry(model.initializers().get(storedName), true)));
        return new OnnxInitializers(model, Collections.unmodifiableMap(entries));
    }

    public OnnxModel model() {
        return model;
    }

    @Override
    public String description() {
        return model.description();
    }

    @Override
    public Set<String> names() {
        return entries.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        Entry entry = entry(name);
        TensorInfo stored = entry.tensor().info();
        if (!entry.transposed()) {
            return stored;
        }
        long[] dims = stored.shape().getShape();
        return new TensorInfo(name, stored.dataType(), new Shape(dims[1], dims[0]));
    }

    @Override
    public NDArray load(String name, NDManager manager) {
        Entry entry = entry(name);
        NDArray stored = entry.tensor().toNDArray(manager);
        if (!entry.transposed()) {
            return stored;
        }
        // [in, out] as ONNX MatMul consumes it -> [out, in] as torch.nn.Linear stores it
        try (stored; NDArray view = stored.transpose()) {
            return view.duplicate();
        }
    }

    private Entry entry(String name) {
        Entry entry = entries.get(name);
        if (entry == null) {
            throw Checkpoint.tensorNotFound(model.description(), name, entries.keySet());
        }
        return entry;
    }

    @Override
    public void close() {
        // The tensors are views of the model's bytes on the Java heap; nothing to release.
    }

    private record Entry(OnnxTensor tensor, boolean transposed) {
    }
}
