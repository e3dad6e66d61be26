package dev.mlsuite.inference.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.engine.TestEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading and running small graph models written by the test, with each weight encoding of the manifest. */
class TfjsGraphModelTest {

    @TempDir
    Path folder;

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = TestEngine.get().newManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** Graph: out = LeakyRelu(x + half) + bytes, with {@code half} stored as float16 and {@code bytes} as uint8. */
    private Path writeModel(String extraOp) throws Exception {
        ByteBuffer weights = ByteBuffer.allocate(2 * 2 + 2).order(ByteOrder.LITTLE_ENDIAN);
        weights.putShort((short) 0x3c00); // 1.0
        weights.putShort((short) 0xc000); // -2.0
        weights.put((byte) 0).put((byte) 4); // 0 * 0.5 + 1 = 1, 4 * 0.5 + 1 = 3
        Files.write(folder.resolve("model.bin"), weights.array());

        String model = """
                {"format": "graph-model",
                 "signature": {"outputs": {"out:0": {"name": "out:0"}}},
                 "modelTopology": {"node": [
                   {"name": "out", "op": "AddV2", "input": ["act", "bytes"]},
                   {"name": "act", "op": "LeakyRelu", "input": ["sum", "^x"], "attr": {"alpha": {"f": 0.5}}},
                   {"name": "sum", "op": "%s", "input": ["x", "half"]},
                   {"name": "x", "op": "Placeholder", "attr": {"shape": {"shape": {"dim": [{"size": "-1"}, {"size": "2"}]}}}},
                   {"name": "half", "op": "Const"},
                   {"name": "bytes", "op": "Const"}]},
                 "weightsManifest": [{"paths": ["model.bin"], "weights": [
                   {"name": "half", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16"}},
                   {"name": "bytes", "shape": [2], "dtype": "float32",
                    "quantization": {"dtype": "uint8", "scale": 0.5, "min": 1.0}}]}]}
                """.formatted(extraOp);
        Path modelJson = folder.resolve("model.json");
        Files.writeString(modelJson, model);
        return modelJson;
    }

    @Test
    void executesGraphWithQuantizedWeights() throws Exception {
        try (TfjsGraphModel model = TfjsGraphModel.load(writeModel("Add"), manager)) {
            NDArray x = manager.create(new float[] {1, 1, 3, -3}, new Shape(2, 2));

            Map<String, NDArray> outputs = model.execute(Map.of("x", x), model.outputNames(), manager);

            // x + [1, -2] = [[2, -1], [4, -5]]; LeakyRelu(0.5) = [[2, -0.5], [4, -2.5]]; + [1, 3]
            assertThat(model.outputNames()).containsExactly("out");
            assertThat(model.inputShapes()).containsEntry("x", new Shape(-1, 2));
            assertThat(outputs.get("out").toFloatArray()).containsExactly(3, 2.5f, 5, 0.5f);
        }
    }

    @Test
    void loadNamesUnsupportedOps() throws Exception {
        assertThatThrownBy(() -> TfjsGraphModel.load(writeModel("BatchMatMulV2"), manager))
                .isInstanceOf(TfjsModelException.class)
                .hasMessageContaining("ops that are not supported: [BatchMatMulV2]");
    }

    @Test
    void loadRejectsTruncatedWeights() throws Exception {
        Path modelJson = writeModel("Add");
        Files.write(folder.resolve("model.bin"), new byte[5]);

        assertThatThrownBy(() -> TfjsGraphModel.load(modelJson, manager))
                .isInstanceOf(TfjsModelException.class)
                .hasMessageContaining("weight 'bytes' needs 2 bytes but the weight files in " + folder + " have only 1 left");
    }

    @Test
    void executeRejectsInputOfWrongShape() throws Exception {
        try (TfjsGraphModel model = TfjsGraphModel.load(writeModel("Add"), manager)) {
            NDArray x = manager.create(new float[] {1, 2, 3}, new Shape(1, 3));

            assertThatThrownBy(() -> model.execute(Map.of("x", x), List.of("out"), manager))
                    .isInstanceOf(TfjsModelException.class)
                    .hasMessageContaining("input 'x' has shape (1, 3)")
                    .hasMessageContaining("expects (-1, 2)");
        }
    }

    @Test
    void halfToFloatDecodesSpecialValues() {
        assertThat(TfjsWeights.halfToFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(TfjsWeights.halfToFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(TfjsWeights.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(TfjsWeights.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(TfjsWeights.halfToFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(TfjsWeights.halfToFloat((short) 0x7e00)).isNaN();
    }
}
