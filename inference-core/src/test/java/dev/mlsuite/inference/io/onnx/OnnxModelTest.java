package dev.mlsuite.inference.io.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.io.CheckpointException;
import dev.mlsuite.inference.io.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reads the real all-MiniLM-L6-v2 ONNX export from the langchain4j test dependency. */
class OnnxModelTest {

    private static final Pattern LINEAR_WEIGHT = Pattern.compile(
            "encoder\\.layer\\.[0-5]\\.(attention\\.self\\.(query|key|value)|attention\\.output\\.dense"
                    + "|intermediate\\.dense|output\\.dense)\\.weight");

    private static byte[] onnxBytes;
    private static OnnxModel model;
    private static NDManager manager;

    @BeforeAll
    static void readModel() throws IOException {
        try (InputStream input = OnnxModelTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
            assertThat(input).as("all-minilm-l6-v2.onnx on the test classpath").isNotNull();
            onnxBytes = input.readAllBytes();
        }
        model = OnnxModel.parse(ByteBuffer.wrap(onnxBytes), "all-minilm-l6-v2.onnx");
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void closeEngine() {
        manager.close();
    }

    @Test
    void parsesGraphInputsOutputsAndInitializers() {
        assertThat(model.producerName()).isEqualTo("pytorch");
        assertThat(model.inputNames()).containsExactly("input_ids", "attention_mask", "token_type_ids");
        assertThat(model.outputNames()).containsExactly("last_hidden_state");
        assertThat(model.initializers()).hasSize(102);
        assertThat(model.nodes()).extracting(OnnxNode::opType).contains("MatMul", "Add", "Softmax", "Erf");

        long anonymous = model.initializers().keySet().stream().filter(name -> name.startsWith("onnx::MatMul_")).count();
        assertThat(anonymous).isEqualTo(36);
        OnnxTensor wordEmbeddings = model.initializers().get("embeddings.word_embeddings.weight");
        assertThat(wordEmbeddings.shape()).isEqualTo(new Shape(30522, 384));
        assertThat(wordEmbeddings.dataType()).isEqualTo(DataType.FLOAT32);
        assertThat(model.initializers().get("embeddings.position_ids").dataType()).isEqualTo(DataType.INT64);
    }

    @Test
    void recoversAllThirtySixLinearWeightNames() {
        Map<String, String> recovered = LinearWeightNames.recover(model);

        assertThat(recovered).hasSize(36);
        assertThat(recovered.keySet()).allMatch(name -> LINEAR_WEIGHT.matcher(name).matches());
        assertThat(recovered.values()).allMatch(name -> name.startsWith("onnx::MatMul_"));
        assertThat(Set.copyOf(recovered.values())).hasSize(36);
    }

    @Test
    void queryWeightFeedsAddWithQueryBias() {
        String stored = LinearWeightNames.recover(model).get("encoder.layer.3.attention.self.query.weight");

        OnnxNode matMul = model.nodes().stream()
                .filter(node -> node.opType().equals("MatMul") && node.inputs().contains(stored))
                .findFirst().orElseThrow();
        OnnxNode add = model.nodes().stream()
                .filter(node -> node.opType().equals("Add") && node.inputs().contains(matMul.outputs().get(0)))
                .findFirst().orElseThrow();
        assertThat(add.inputs()).contains("encoder.layer.3.attention.self.query.bias");
    }

    @Test
    void recoveredWeightsAreTransposedToOutputByInput() {
        OnnxInitializers initializers = OnnxInitializers.withRecoveredLinearWeights(model);
        String storedName = LinearWeightNames.recover(model).get("encoder.layer.0.intermediate.dense.weight");

        TensorInfo info = initializers.info("encoder.layer.0.intermediate.dense.weight");
        assertThat(info.shape()).isEqualTo(new Shape(1536, 384));
        assertThat(model.initializers().get(storedName).shape()).isEqualTo(new Shape(384, 1536));
        assertThat(initializers.names()).doesNotContain(storedName).hasSize(102);

        try (NDManager scope = manager.newSubManager()) {
            NDArray recovered = initializers.load("encoder.layer.0.intermediate.dense.weight", scope);
            NDArray stored = model.initializers().get(storedName).toNDArray(scope);
            assertThat(recovered.getShape()).isEqualTo(new Shape(1536, 384));
            assertThat(recovered.getFloat(5, 7)).isEqualTo(stored.getFloat(7, 5));
            assertThat(recovered.getFloat(1535, 0)).isEqualTo(stored.getFloat(0, 1535));
            assertThat(recovered.contentEquals(stored.transpose())).isTrue();
        }
    }

    @Test
    void graphSplitsTwelveHeads() {
        // The head count is not visible in weight shapes, so check it against the graph's Reshape constants.
        Set<Long> headConstants = model.nodes().stream()
                .filter(node -> node.opType().equals("Constant") && node.outputs().get(0).contains("attention/self"))
                .map(node -> node.attributes().get("value").tensor())
                .filter(tensor -> tensor.dataType() == DataType.INT64 && tensor.shape().size() == 1)
                .map(tensor -> tensor.toLongArray()[0])
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(headConstants).contains(12L, 32L);
    }

    @Test
    void truncatedFileIsRejected() {
        ByteBuffer truncated = ByteBuffer.wrap(onnxBytes, 0, 1_000_000);

        assertThatThrownBy(() -> OnnxModel.parse(truncated, "truncated.onnx"))
                .isInstanceOf(OnnxFormatException.class)
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("truncated.onnx: ")
                .hasMessageContaining("exceeds");
    }

    @Test
    void bytesWithoutGraphAreRejected() {
        // Field 1 (ir_version) = 7, then nothing else.
        ByteBuffer noGraph = ByteBuffer.wrap(new byte[] {0x08, 0x07});

        assertThatThrownBy(() -> OnnxModel.parse(noGraph, "empty.onnx"))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessage("empty.onnx: not an ONNX model, no graph found");
    }

    @Test
    void groupWireTypeIsRejected() {
        // Key with field 3 and wire type 3 (start group), deprecated and unsupported.
        ByteBuffer group = ByteBuffer.wrap(new byte[] {0x1B});

        assertThatThrownBy(() -> OnnxModel.parse(group, "group.onnx"))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("unsupported wire type 3");
    }

    @Test
    void shortTensorDataIsRejected() {
        // GraphProto { initializer: TensorProto { dims: 4, data_type: FLOAT, name: "w", raw_data: 8 bytes } }
        byte[] tensor = {0x08, 0x04, 0x10, 0x01, 0x42, 0x01, 'w', 0x4A, 0x08, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] graph = concat(new byte[] {0x2A, (byte) tensor.length}, tensor);
        byte[] modelBytes = concat(new byte[] {0x3A, (byte) graph.length}, graph);

        assertThatThrownBy(() -> OnnxModel.parse(ByteBuffer.wrap(modelBytes), "small.onnx"))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("tensor 'w' has 8 data bytes")
                .hasMessageContaining("needs 16");
    }

    @Test
    void floatDataFieldIsReadLikeRawData() {
        // TensorProto { dims: 2, data_type: FLOAT, float_data: [1.5, -2.0] packed, name: "f" }
        ByteBuffer floats = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f);
        byte[] tensor = concat(new byte[] {0x08, 0x02, 0x10, 0x01, 0x22, 0x08}, floats.array());
        tensor = concat(tensor, new byte[] {0x42, 0x01, 'f'});
        byte[] graph = concat(new byte[] {0x2A, (byte) tensor.length}, tensor);
        byte[] modelBytes = concat(new byte[] {0x3A, (byte) graph.length}, graph);

        OnnxModel small = OnnxModel.parse(ByteBuffer.wrap(modelBytes), "small.onnx");

        try (NDManager scope = manager.newSubManager()) {
            assertThat(small.initializers().get("f").toNDArray(scope).toFloatArray()).containsExactly(1.5f, -2f);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] result = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, result, first.length, second.length);
        return result;
    }
}
