package dev.mlsuite.inference.tfjs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The TensorFlow ops that the executor implements, each following the TensorFlow op reference
 * (attribute names, defaults and data formats as in {@code tf.raw_ops}). Image ops accept NHWC and
 * NCHW inputs and run as NCHW on the engine, so the output keeps the input's data format.
 */
final class GraphOps {

    /** One op: the node (for attributes), its evaluated inputs, and the manager for new arrays. */
    @FunctionalInterface
    interface Kernel {
        NDArray[] apply(GraphNode node, List<NDArray> inputs, NDManager manager);
    }

    private static final Map<String, Kernel> KERNELS = Map.ofEntries(
            Map.entry("Identity", (node, in, manager) -> new NDArray[] {in.get(0)}),
            Map.entry("Add", (node, in, manager) -> single(add(in.get(0), in.get(1)))),
            Map.entry("AddV2", (node, in, manager) -> single(add(in.get(0), in.get(1)))),
            Map.entry("Sigmoid", (node, in, manager) -> single(Activation.sigmoid(in.get(0)))),
            Map.entry("LeakyRelu", (node, in, manager) ->
                    single(leakyRelu(in.get(0), node.floatAttribute("alpha", 0.2f)))),
            Map.entry("Transpose", (node, in, manager) -> single(in.get(0).transpose(intValues(in.get(1))))),
            Map.entry("Reshape", (node, in, manager) -> single(in.get(0).reshape(new Shape(longValues(in.get(1)))))),
            Map.entry("Pad", (node, in, manager) -> single(pad(in.get(0), in.get(1), 0))),
            Map.entry("PadV2", (node, in, manager) ->
                    single(pad(in.get(0), in.get(1), doubleValues(in.get(2))[0]))),
            Map.entry("ConcatV2", (node, in, manager) -> single(concat(in))),
            Map.entry("SplitV", (node, in, manager) -> splitV(in.get(0), in.get(1), in.get(2))),
            Map.entry("SparseToDense", (node, in, manager) ->
                    single(sparseToDense(in.get(0), in.get(1), in.get(2), in.get(3), manager))),
            Map.entry("Conv2D", (node, in, manager) -> single(conv2d(node, in.get(0), in.get(1)))),
            Map.entry("MaxPool", (node, in, manager) -> single(maxPool(node, in.get(0)))),
            Map.entry("ResizeBilinear", (node, in, manager) -> single(resizeBilinear(node, in.get(0), in.get(1), manager))));

    private GraphOps() {
    }

    /** Returns the names of the implemented ops, sorted, for error messages. */
    static Set<String> supportedOps() {
        return new TreeSet<>(KERNELS.keySet());
    }

    static boolean supports(String op) {
        return KERNELS.containsKey(op);
    }

    static NDArray[] apply(GraphNode node, List<NDArray> inputs, NDManager manager) {
        Kernel kernel = KERNELS.get(node.op());
        if (kernel == null) {
            throw new TfjsModelException("op " + node.op() + " of node '" + node.name() + "' is not supported; "
                    + "supported ops are " + supportedOps());
        }
        return kernel.apply(node, inputs, manager);
    }

    private static NDArray[] single(NDArray array) {
        return new NDArray[] {array};
    }

    /** Adds with broadcasting; an operand of another dtype is cast to the first operand's dtype. */
    static NDArray add(NDArray a, NDArray b) {
        if (a.getDataType() != b.getDataType()) {
            return a.add(b.toType(a.getDataType(), false));
        }
        return a.add(b);
    }

    /** TensorFlow's LeakyRelu: {@code x} where {@code x > 0}, else {@code alpha * x}. */
    static NDArray leakyRelu(NDArray x, float alpha) {
        return NDArrays.where(x.gt(0), x, x.mul(alpha));
    }

    /** Pads with a constant; {@code paddings} is {@code [rank, 2]}: elements before and after, per axis. */
    static NDArray pad(NDArray x, NDArray paddings, double value) {
        long[] amounts = longValues(paddings);
        int rank = x.getShape().dimension();
        if (amounts.length != 2 * rank) {
            throw new TfjsModelException("paddings of shape " + paddings.getShape() + " do not fit an input of rank "
                    + rank + "; expected [" + rank + ", 2]");
        }
        for (long amount : amounts) {
            if (amount < 0) {
                throw new TfjsModelException("negative padding " + Arrays.toString(amounts) + " is not supported");
            }
        }

        // The engine (torch constant_pad_nd) lists pairs from the last axis to the first.
        long[] lastAxisFirst = new long[2 * rank];
        for (int axis = 0; axis < rank; axis++) {
            int pair = rank - 1 - axis;
            lastAxisFirst[2 * pair] = amounts[2 * axis];
            lastAxisFirst[2 * pair + 1] = amounts[2 * axis + 1];
        }
        return x.pad(new Shape(lastAxisFirst), value);
    }

    /** ConcatV2: the last input is the axis, which may be negative. */
    static NDArray concat(List<NDArray> inputs) {
        NDList values = new NDList(inputs.subList(0, inputs.size() - 1).toArray(NDArray[]::new));
        int rank = values.get(0).getShape().dimension();
        int axis = normalizeAxis((int) longValues(inputs.get(inputs.size() - 1))[0], rank);
        return NDArrays.concat(values, axis);
    }

    /** SplitV: pieces of the given sizes along {@code axis}; at most one size may be -1 (the rest). */
    static NDArray[] splitV(NDArray value, NDArray sizeSplits, NDArray axisTensor) {
        int rank = value.getShape().dimension();
        int axis = normalizeAxis((int) longValues(axisTensor)[0], rank);
        long length = value.getShape().get(axis);
        long[] sizes = longValues(sizeSplits);

        long known = 0;
        int inferred = -1;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] == -1 && inferred < 0) {
                inferred = i;
            } else {
                known += sizes[i];
            }
        }
        if (inferred >= 0) {
            sizes[inferred] = length - known;
        }
        if (Arrays.stream(sizes).sum() != length || Arrays.stream(sizes).anyMatch(size -> size < 0)) {
            throw new TfjsModelException("SplitV sizes " + Arrays.toString(longValues(sizeSplits))
                    + " do not add up to the length " + length + " of axis " + axis);
        }

        NDArray[] pieces = new NDArray[sizes.length];
        long start = 0;
        for (int i = 0; i < sizes.length; i++) {
            pieces[i] = value.get(sliceAlong(rank, axis, start, start + sizes[i]));
            start += sizes[i];
        }
        return pieces;
    }

    private static NDIndex sliceAlong(int rank, int axis, long start, long end) {
        NDIndex index = new NDIndex();
        for (int i = 0; i < rank; i++) {
            if (i == axis) {
                index.addSliceDim(start, end);
            } else {
                index.addAllDim();
            }
        }
        return index;
    }

    /**
     * SparseToDense: an array of {@code outputShape} filled with {@code defaultValue}, with
     * {@code sparseValues} (one per index, or one scalar for all) written at {@code sparseIndices}
     * (a scalar or vector for a 1-D output, else {@code [count, rank]}).
     */
    static NDArray sparseToDense(NDArray sparseIndices, NDArray outputShape, NDArray sparseValues,
            NDArray defaultValue, NDManager manager) {
        long[] shape = longValues(outputShape);
        long[] indices = longValues(sparseIndices);
        double[] values = doubleValues(sparseValues);
        double fill = doubleValues(defaultValue)[0];
        int rank = shape.length;
        int count = sparseIndices.getShape().dimension() < 2 ? indices.length : (int) sparseIndices.getShape().get(0);
        if (rank == 0 || (long) count * (sparseIndices.getShape().dimension() < 2 ? 1 : rank) != indices.length) {
            throw new TfjsModelException("SparseToDense indices of shape " + sparseIndices.getShape()
                    + " do not fit the output shape " + Arrays.toString(shape));
        }
        if (values.length != 1 && values.length != count) {
            throw new TfjsModelException("SparseToDense has " + values.length + " values for " + count + " indices");
        }

        double[] dense = new double[Math.toIntExact(new Shape(shape).size())];
        Arrays.fill(dense, fill);
        int perIndex = sparseIndices.getShape().dimension() < 2 ? 1 : rank;
        for (int i = 0; i < count; i++) {
            long flat = 0;
            for (int d = 0; d < perIndex; d++) {
                long coordinate = indices[i * perIndex + d];
                long size = shape[rank - perIndex + d];
                if (coordinate < 0 || coordinate >= size) {
                    throw new TfjsModelException("SparseToDense index " + coordinate + " is outside [0, " + size + ")");
                }
                flat = flat * size + coordinate;
            }
            dense[(int) flat] = values.length == 1 ? values[0] : values[i];
        }
        return manager.create(dense, new Shape(shape)).toType(sparseValues.getDataType(), false);
    }

    /**
     * Conv2D: input {@code [batch, height, width, channels]} (NHWC) or NCHW per {@code data_format},
     * filter {@code [height, width, inChannels / groups, outChannels]}; padding VALID, SAME (the odd
     * pixel after, as TensorFlow does) or EXPLICIT ({@code explicit_paddings}).
     */
    static NDArray conv2d(GraphNode node, NDArray input, NDArray filter) {
        boolean channelsLast = isChannelsLast(node);
        NDArray nchw = channelsLast ? input.transpose(0, 3, 1, 2) : input;
        long[] strides = spatial(node.intListAttribute("strides", new long[] {1, 1, 1, 1}), channelsLast);
        long[] dilations = spatial(node.intListAttribute("dilations", new long[] {1, 1, 1, 1}), channelsLast);
        long[] kernel = {filter.getShape().get(0), filter.getShape().get(1)};

        NDArray padded = padSpatial(node, nchw, kernel, strides, dilations, 0);
        long groups = nchw.getShape().get(1) / filter.getShape().get(2);
        if (groups * filter.getShape().get(2) != nchw.getShape().get(1)) {
            throw new TfjsModelException("Conv2D node '" + node.name() + "': input channels " + nchw.getShape().get(1)
                    + " are not a multiple of the filter's input channels " + filter.getShape().get(2));
        }

        NDArray weight = filter.transpose(3, 2, 0, 1); // [out, in / groups, height, width]
        NDArray output = Conv2d.conv2d(padded, weight, null, new Shape(strides), new Shape(0, 0),
                new Shape(dilations), (int) groups).singletonOrThrow();
        return channelsLast ? output.transpose(0, 2, 3, 1) : output;
    }

    /** MaxPool over the spatial axes; padded positions never win (they are -infinity). */
    static NDArray maxPool(GraphNode node, NDArray input) {
        boolean channelsLast = isChannelsLast(node);
        NDArray nchw = channelsLast ? input.transpose(0, 3, 1, 2) : input;
        long[] kernel = spatial(node.intListAttribute("ksize", null), channelsLast);
        long[] strides = spatial(node.intListAttribute("strides", new long[] {1, 1, 1, 1}), channelsLast);

        NDArray padded = padSpatial(node, nchw, kernel, strides, new long[] {1, 1}, Double.NEGATIVE_INFINITY);
        NDArray output = Pool.maxPool2d(padded, new Shape(kernel), new Shape(strides), new Shape(0, 0), false);
        return channelsLast ? output.transpose(0, 2, 3, 1) : output;
    }

    /**
     * ResizeBilinear on NHWC {@code images} to {@code size = [newHeight, newWidth]}. Source
     * coordinates follow TensorFlow: {@code half_pixel_centers} maps output pixel centres,
     * {@code align_corners} maps corner pixels, and neither gives {@code dst * in / out}.
     */
    static NDArray resizeBilinear(GraphNode node, NDArray images, NDArray size, NDManager manager) {
        long[] newSize = longValues(size);
        boolean alignCorners = node.boolAttribute("align_corners", false);
        boolean halfPixelCenters = node.boolAttribute("half_pixel_centers", false);
        if (alignCorners && halfPixelCenters) {
            throw new TfjsModelException("ResizeBilinear node '" + node.name()
                    + "' sets both align_corners and half_pixel_centers, which TensorFlow rejects");
        }
        NDArray nchw = images.toType(DataType.FLOAT32, false).transpose(0, 3, 1, 2);
        long height = nchw.getShape().get(2);
        long width = nchw.getShape().get(3);

        NDArray rows = interpolationMatrix(height, newSize[0], alignCorners, halfPixelCenters, manager);
        NDArray columns = interpolationMatrix(width, newSize[1], alignCorners, halfPixelCenters, manager);
        NDArray resized = rows.matMul(nchw).matMul(columns.transpose()); // [batch, channels, newHeight, newWidth]
        return resized.transpose(0, 2, 3, 1);
    }

    /** Returns the {@code [outSize, inSize]} matrix of linear-interpolation weights along one axis. */
    static NDArray interpolationMatrix(long inSize, long outSize, boolean alignCorners, boolean halfPixelCenters,
            NDManager manager) {
        double scale = alignCorners && outSize > 1 ? (inSize - 1) / (double) (outSize - 1) : inSize / (double) outSize;
        float[] weights = new float[Math.toIntExact(outSize * inSize)];
        for (int o = 0; o < outSize; o++) {
            double source = halfPixelCenters ? (o + 0.5) * scale - 0.5 : o * scale;
            double floor = Math.floor(source);
            long lower = (long) Math.max(floor, 0);
            long upper = (long) Math.min(Math.ceil(source), inSize - 1);
            double fraction = source - floor;
            weights[(int) (o * inSize + lower)] += (float) (1 - fraction);
            weights[(int) (o * inSize + upper)] += (float) fraction;
        }
        return manager.create(weights, new Shape(outSize, inSize));
    }

    /** Pads the spatial axes of an NCHW array as the node's {@code padding} attribute sets. */
    private static NDArray padSpatial(GraphNode node, NDArray nchw, long[] kernel, long[] strides, long[] dilations,
            double value) {
        String padding = node.stringAttribute("padding", "VALID");
        long[] amounts = new long[8]; // [axis][before, after] in NCHW order
        switch (padding) {
            case "VALID" -> {
                return nchw;
            }
            case "SAME" -> {
                for (int i = 0; i < 2; i++) {
                    long in = nchw.getShape().get(2 + i);
                    long out = (in + strides[i] - 1) / strides[i];
                    long effectiveKernel = (kernel[i] - 1) * dilations[i] + 1;
                    long total = Math.max((out - 1) * strides[i] + effectiveKernel - in, 0);
                    amounts[4 + 2 * i] = total / 2;
                    amounts[5 + 2 * i] = total - total / 2;
                }
            }
            case "EXPLICIT" -> {
                long[] explicit = node.intListAttribute("explicit_paddings", new long[8]);
                boolean channelsLast = isChannelsLast(node);
                int heightAxis = channelsLast ? 1 : 2;
                System.arraycopy(explicit, 2 * heightAxis, amounts, 4, 4);
            }
            default -> throw new TfjsModelException("node '" + node.name() + "' has padding '" + padding
                    + "'; supported are VALID, SAME and EXPLICIT");
        }
        long[] lastAxisFirst = {amounts[6], amounts[7], amounts[4], amounts[5], 0, 0, 0, 0};
        return nchw.pad(new Shape(lastAxisFirst), value);
    }

    private static boolean isChannelsLast(GraphNode node) {
        String format = node.stringAttribute("data_format", "NHWC");
        return switch (format) {
            case "NHWC" -> true;
            case "NCHW" -> false;
            default -> throw new TfjsModelException("node '" + node.name() + "' has data_format '" + format
                    + "'; supported are NHWC and NCHW");
        };
    }

    /** Returns the height and width entries of a 4-element attribute in the node's data format. */
    private static long[] spatial(long[] values, boolean channelsLast) {
        if (values == null || values.length != 4) {
            throw new TfjsModelException("expected a 4-element window attribute, got " + Arrays.toString(values));
        }
        return channelsLast ? new long[] {values[1], values[2]} : new long[] {values[2], values[3]};
    }

    private static int normalizeAxis(int axis, int rank) {
        int normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 0 || normalized >= rank) {
            throw new TfjsModelException("axis " + axis + " is outside the rank " + rank + " of the input");
        }
        return normalized;
    }

    /** Reads an integer tensor (shape, axis, paddings, ...) into Java. */
    static long[] longValues(NDArray array) {
        return switch (array.getDataType()) {
            case INT64 -> array.toLongArray();
            case INT32 -> Arrays.stream(array.toIntArray()).asLongStream().toArray();
            default -> throw new TfjsModelException("expected an int32 or int64 tensor, got " + array.getDataType()
                    + " of shape " + array.getShape());
        };
    }

    /** Reads a numeric tensor into Java as doubles. */
    static double[] doubleValues(NDArray array) {
        return switch (array.getDataType()) {
            case FLOAT32 -> {
                float[] floats = array.toFloatArray();
                double[] values = new double[floats.length];
                for (int i = 0; i < floats.length; i++) {
                    values[i] = floats[i];
                }
                yield values;
            }
            case FLOAT64 -> array.toDoubleArray();
            case INT32, INT64 -> Arrays.stream(longValues(array)).asDoubleStream().toArray();
            default -> throw new TfjsModelException("expected a numeric tensor, got " + array.getDataType());
        };
    }

    private static int[] intValues(NDArray array) {
        return Arrays.stream(longValues(array)).mapToInt(Math::toIntExact).toArray();
    }
}
