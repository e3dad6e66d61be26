package dev.mlsuite.inference.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.engine.TestEngine;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Each op on a small case whose result is worked out by hand from the TensorFlow op definitions. */
class GraphOpsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = TestEngine.get().newManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** Builds a node; {@code attributes} is JSON in model.json form, with {@code "s"} values written as plain text. */
    private static GraphNode node(String op, String attributes) {
        JsonNode parsed = JSON.readTree(attributes.replace('\'', '"'));
        for (String key : List.copyOf(parsed.propertyNames())) {
            JsonNode text = parsed.path(key).path("s");
            if (!text.isMissingNode()) {
                String encoded = Base64.getEncoder().encodeToString(text.asString().getBytes(StandardCharsets.UTF_8));
                ((tools.jackson.databind.node.ObjectNode) parsed.path(key)).put("s", encoded);
            }
        }
        return new GraphNode("test/" + op, op, List.of(), parsed);
    }

    private NDArray[] run(GraphNode node, NDArray... inputs) {
        return GraphOps.apply(node, List.of(inputs), manager);
    }

    private NDArray ints(int... values) {
        return manager.create(values);
    }

    @Test
    void padAddsConstantBeforeAndAfterEachAxis() {
        NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
        NDArray paddings = manager.create(new int[] {1, 0, 0, 2}, new Shape(2, 2));

        NDArray padded = run(node("PadV2", "{}"), x, paddings, manager.create(9f))[0];

        assertThat(padded.getShape()).isEqualTo(new Shape(3, 4));
        assertThat(padded.toFloatArray()).containsExactly(
                9, 9, 9, 9,
                1, 2, 9, 9,
                3, 4, 9, 9);
    }

    @Test
    void conv2dSamePadsTheOddPixelAfter() {
        // 3x3 image 1..9 (NHWC), 2x2 filter of ones, stride 2: out 2x2, one padding row and column after.
        NDArray image = manager.arange(1f, 10f).reshape(1, 3, 3, 1);
        NDArray filter = manager.ones(new Shape(2, 2, 1, 1));

        NDArray output = run(node("Conv2D", "{'padding': {'s': 'SAME'}, 'strides': {'list': {'i': ['1','2','2','1']}}}"),
                image, filter)[0];

        assertThat(output.getShape()).isEqualTo(new Shape(1, 2, 2, 1));
        assertThat(output.toFloatArray()).containsExactly(12, 9, 15, 9);
    }

    @Test
    void conv2dExplicitPaddingSumsNeighbourhoods() {
        NDArray image = manager.arange(1f, 10f).reshape(1, 3, 3, 1);
        NDArray filter = manager.ones(new Shape(3, 3, 1, 1));

        NDArray output = run(node("Conv2D", "{'padding': {'s': 'EXPLICIT'},"
                + " 'explicit_paddings': {'list': {'i': ['0','0','1','1','1','1','0','0']}}}"), image, filter)[0];

        assertThat(output.toFloatArray()).containsExactly(12, 21, 16, 27, 45, 33, 24, 39, 28);
    }

    @Test
    void conv2dNchwWithDilationSkipsPixels() {
        NDArray image = manager.arange(1f, 10f).reshape(1, 1, 3, 3);
        NDArray filter = manager.ones(new Shape(2, 2, 1, 1));

        NDArray output = run(node("Conv2D", "{'data_format': {'s': 'NCHW'}, 'padding': {'s': 'VALID'},"
                + " 'dilations': {'list': {'i': ['1','1','2','2']}}}"), image, filter)[0];

        assertThat(output.getShape()).isEqualTo(new Shape(1, 1, 1, 1));
        assertThat(output.toFloatArray()).containsExactly(1 + 3 + 7 + 9);
    }

    @Test
    void conv2dWithFewerFilterChannelsIsGrouped() {
        // Two input channels, filter input depth 1: two groups, each channel scaled by its own weight.
        NDArray image = manager.create(new float[] {1, 2}, new Shape(1, 1, 1, 2));
        NDArray filter = manager.create(new float[] {3, 4}, new Shape(1, 1, 1, 2));

        NDArray output = run(node("Conv2D", "{'padding': {'s': 'VALID'}}"), image, filter)[0];

        assertThat(output.toFloatArray()).containsExactly(3, 8);
    }

    @Test
    void maxPoolSameIgnoresPaddedPositions() {
        NDArray image = manager.arange(-1f, -10f, -1f).reshape(1, 3, 3, 1);

        NDArray output = run(node("MaxPool", "{'padding': {'s': 'SAME'}, 'ksize': {'list': {'i': ['1','2','2','1']}},"
                + " 'strides': {'list': {'i': ['1','2','2','1']}}}"), image)[0];

        assertThat(output.getShape()).isEqualTo(new Shape(1, 2, 2, 1));
        assertThat(output.toFloatArray()).containsExactly(-1, -3, -7, -9);
    }

    @Test
    void resizeBilinearHalfPixelCenters() {
        NDArray image = manager.create(new float[] {0, 1, 2, 3}, new Shape(1, 2, 2, 1));

        NDArray output = run(node("ResizeBilinear", "{'half_pixel_centers': {'b': true}}"), image, ints(4, 4))[0];

        // Source coordinates -0.25, 0.25, 0.75, 1.25 per axis, clamped to the edge pixels.
        assertThat(output.getShape()).isEqualTo(new Shape(1, 4, 4, 1));
        assertThat(output.toFloatArray()).containsExactly(
                0, 0.25f, 0.75f, 1,
                0.5f, 0.75f, 1.25f, 1.5f,
                1.5f, 1.75f, 2.25f, 2.5f,
                2, 2.25f, 2.75f, 3);
    }

    @Test
    void resizeBilinearAlignCornersAndLegacy() {
        NDArray image = manager.create(new float[] {0, 1}, new Shape(1, 1, 2, 1));

        NDArray aligned = run(node("ResizeBilinear", "{'align_corners': {'b': true}}"), image, ints(1, 3))[0];
        NDArray legacy = run(node("ResizeBilinear", "{}"), image, ints(1, 4))[0];

        assertThat(aligned.toFloatArray()).containsExactly(0, 0.5f, 1);
        assertThat(legacy.toFloatArray()).containsExactly(0, 0.5f, 1, 1);
    }

    @Test
    void leakyReluScalesNegativesByAlpha() {
        NDArray x = manager.create(new float[] {-2, 0, 3});

        assertThat(run(node("LeakyRelu", "{'alpha': {'f': 0.1}}"), x)[0].toFloatArray()).containsExactly(-0.2f, 0, 3);
        assertThat(run(node("LeakyRelu", "{}"), x)[0].toFloatArray()).containsExactly(-0.4f, 0, 3);
    }

    @Test
    void splitVInfersTheMinusOneSize() {
        NDArray x = manager.arange(0f, 6f);

        NDArray[] pieces = run(node("SplitV", "{}"), x, ints(2, -1), manager.create(-1));

        assertThat(pieces).hasSize(2);
        assertThat(pieces[0].toFloatArray()).containsExactly(0, 1);
        assertThat(pieces[1].toFloatArray()).containsExactly(2, 3, 4, 5);
    }

    @Test
    void splitVRejectsSizesThatDoNotAddUp() {
        NDArray x = manager.arange(0f, 6f);

        assertThatThrownBy(() -> run(node("SplitV", "{}"), x, ints(2, 2), manager.create(0)))
                .isInstanceOf(TfjsModelException.class)
                .hasMessageContaining("do not add up to the length 6");
    }

    @Test
    void concatV2AcceptsNegativeAxis() {
        NDArray a = manager.create(new float[] {1, 2}, new Shape(1, 2));
        NDArray b = manager.create(new float[] {3}, new Shape(1, 1));

        NDArray joined = run(node("ConcatV2", "{}"), a, b, manager.create(-1))[0];

        assertThat(joined.getShape()).isEqualTo(new Shape(1, 3));
        assertThat(joined.toFloatArray()).containsExactly(1, 2, 3);
    }

    @Test
    void sparseToDenseWritesValuesAtIndices() {
        NDArray vector = run(node("SparseToDense", "{}"), ints(1, 3), ints(5), ints(7, 8), manager.create(-1))[0];
        NDArray matrix = run(node("SparseToDense", "{}"), manager.create(new int[] {0, 1, 1, 0}, new Shape(2, 2)),
                ints(2, 2), manager.create(4), manager.create(0))[0];

        assertThat(vector.toIntArray()).containsExactly(-1, 7, -1, 8, -1);
        assertThat(matrix.toIntArray()).containsExactly(0, 4, 4, 0);
    }

    @Test
    void transposeReshapeAndAddFollowTensorflow() {
        NDArray x = manager.arange(0f, 6f).reshape(2, 3);

        NDArray transposed = run(node("Transpose", "{}"), x, ints(1, 0))[0];
        NDArray reshaped = run(node("Reshape", "{}"), transposed, manager.create(new long[] {-1}))[0];
        NDArray sum = run(node("AddV2", "{}"), reshaped, manager.create(new float[] {10}))[0];

        assertThat(transposed.getShape()).isEqualTo(new Shape(3, 2));
        assertThat(reshaped.toFloatArray()).containsExactly(0, 3, 1, 4, 2, 5);
        assertThat(sum.toFloatArray()).containsExactly(10, 13, 11, 14, 12, 15);
    }

    @Test
    void unsupportedOpIsNamed() {
        assertThatThrownBy(() -> run(node("Softmax", "{}"), manager.create(1f)))
                .isInstanceOf(TfjsModelException.class)
                .hasMessageContaining("op Softmax of node 'test/Softmax' is not supported")
                .hasMessageContaining("Conv2D");
    }
}
