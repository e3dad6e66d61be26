package dev.mlsuite.platform.inference.testapp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import dev.mlsuite.inference.api.InferenceModel;
import dev.mlsuite.inference.api.StagedBatchPredictor;

/**
 * A real DJL model for the starter's tests: Linear -> ReLU -> Linear with random weights, run
 * on the PyTorch engine. It records the size of every batch it receives and can hold its forward
 * pass or its warm-up until a test opens a gate.
 */
public class LinearTestModel implements InferenceModel,
        StagedBatchPredictor<float[], NDArray, NDArray, float[]> {

    private final String name;
    private final int inputSize;
    private final NDManager manager;
    private final SequentialBlock block;
    private final Gates gates;
    private final List<Integer> observedBatchSizes = new CopyOnWriteArrayList<>();
    private final AtomicInteger warmUpCount = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    LinearTestModel(String name, Device device, int inputSize, int hiddenSize, int outputSize, Gates gates) {
        this.name = name;
        this.inputSize = inputSize;
        this.gates = gates;
        this.manager = NDManager.newBaseManager(device);
        this.block = new SequentialBlock()
                .add(Linear.builder().setUnits(hiddenSize).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(outputSize).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(1, inputSize));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String version() {
        return "linear-test-1";
    }

    @Override
    public Device device() {
        return manager.getDevice();
    }

    @Override
    public long parameterCount() {
        long count = 0;
        for (Pair<String, ai.djl.nn.Parameter> parameter : block.getParameters()) {
            count += parameter.getValue().getArray().size();
        }
        return count;
    }

    @Override
    public void warmUp() {
        await(gates.warmUp());
        try (NDManager warmUpManager = manager.newSubManager()) {
            runBlock(warmUpManager, warmUpManager.zeros(new Shape(1, inputSize)));
        }
        warmUpCount.incrementAndGet();
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public NDArray preprocess(NDManager batchManager, List<float[]> inputs) {
        observedBatchSizes.add(inputs.size());
        float[][] rows = inputs.toArray(float[][]::new);
        return batchManager.create(rows); // [batch, inputSize]
    }

    @Override
    public NDArray forward(NDManager batchManager, NDArray batch) {
        await(gates.forward());
        return runBlock(batchManager, batch);
    }

    private NDArray runBlock(NDManager batchManager, NDArray batch) {
        ParameterStore parameters = new ParameterStore(batchManager, false);
        return block.forward(parameters, new NDList(batch), false).singletonOrThrow(); // [batch, outputSize]
    }

    @Override
    public List<float[]> postprocess(NDManager batchManager, NDArray result, List<float[]> inputs) {
        List<float[]> outputs = new ArrayList<>(inputs.size());
        for (int row = 0; row < inputs.size(); row++) {
            outputs.add(result.get(row).toFloatArray());
        }
        return outputs;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            manager.close();
        }
    }

    public List<Integer> observedBatchSizes() {
        return observedBatchSizes;
    }

    public int warmUpCount() {
        return warmUpCount.get();
    }

    public boolean isClosed() {
        return closed.get() && !manager.isOpen();
    }

    private static void await(CountDownLatch gate) {
        try {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Test gate stayed closed for 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting at a test gate", e);
        }
    }

    /** Latches a test opens to let warm-up or the forward pass continue; open by default. */
    public record Gates(CountDownLatch warmUp, CountDownLatch forward) {

        public static Gates open() {
            return new Gates(new CountDownLatch(0), new CountDownLatch(0));
        }
    }
}
