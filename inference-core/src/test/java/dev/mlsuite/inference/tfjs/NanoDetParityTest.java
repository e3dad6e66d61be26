package dev.mlsuite.inference.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.engine.TestEngine;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the NanoDet TF.js graph model that the vision service ships and compares its outputs with
 * those of TensorFlow.js 4.22.0 (CPU backend) on the same synthetic input. The reference file was
 * written by {@code tools/nanodet-parity/make-fixture.mjs}.
 */
class NanoDetParityTest {

    private static final Path MODEL_JSON = Path.of("..", "models", "person-detector", "nanodet.json");

    /** Largest absolute difference allowed per value; measured 4.9e-6 (sigmoid scores and logits of up to about 10). */
    private static final double MAX_ABS_ERROR = 1e-4;

    /** Allowed error of a sum over a whole output, per summed value (measured: 7e-5 over 216,320 values). */
    private static final double SUM_ERROR_PER_VALUE = 1e-6;

    private static NDManager manager;
    private static TfjsGraphModel model;
    private static JsonNode fixture;
    private static Map<String, NDArray> outputs;

    @BeforeAll
    static void runModel() throws Exception {
        try (InputStream stream = NanoDetParityTest.class.getResourceAsStream("/tfjs/nanodet-parity.json")) {
            fixture = JsonMapper.builder().build().readTree(stream);
        }
        manager = TestEngine.get().newManager();
        model = TfjsGraphModel.load(MODEL_JSON, manager);

        JsonNode input = fixture.path("input");
        NDArray image = manager.create(syntheticInput(3, 416, 416), new Shape(1, 3, 416, 416));
        outputs = model.execute(Map.of(input.path("name").asString(), image), model.outputNames(), manager);
    }

    @AfterAll
    static void close() {
        model.close();
        manager.close();
    }

    /** The input formula of the fixture script, evaluated in double and rounded to float like Math.fround. */
    static float[] syntheticInput(int channels, int height, int width) {
        float[] values = new float[channels * height * width];
        int i = 0;
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    values[i++] = (float) (2 * Math.sin(0.05 * (c + 1) * y) * Math.cos(0.031 * x + 0.7 * c));
                }
            }
        }
        return values;
    }

    @Test
    void outputNamesAndShapesMatchTensorflowJs() {
        List<String> expectedNames = fixture.path("outputs").valueStream().map(o -> o.path("name").asString()).toList();
        assertThat(model.outputNames()).containsExactlyElementsOf(expectedNames);
        for (JsonNode expected : fixture.path("outputs")) {
            long[] shape = expected.path("shape").valueStream().mapToLong(JsonNode::asLong).toArray();
            assertThat(outputs.get(expected.path("name").asString()).getShape()).isEqualTo(new Shape(shape));
        }
    }

    @Test
    void sampledValuesMatchTensorflowJs() {
        double maxError = 0;
        for (JsonNode expected : fixture.path("outputs")) {
            float[] actual = outputs.get(expected.path("name").asString()).toFloatArray();
            JsonNode indices = expected.path("sampleIndices");
            JsonNode values = expected.path("sampleValues");
            for (int k = 0; k < indices.size(); k++) {
                double error = Math.abs(actual[indices.get(k).asInt()] - values.get(k).asDouble());
                maxError = Math.max(maxError, error);
            }
        }
        assertThat(maxError).isLessThan(MAX_ABS_ERROR);
    }

    @Test
    void sumsMatchTensorflowJs() {
        for (JsonNode expected : fixture.path("outputs")) {
            float[] actual = outputs.get(expected.path("name").asString()).toFloatArray();
            double sum = 0;
            double absSum = 0;
            for (float value : actual) {
                sum += value;
                absSum += Math.abs(value);
            }
            assertThat(sum).as("sum of %s", expected.path("name").asString())
                    .isCloseTo(expected.path("sum").asDouble(), within(SUM_ERROR_PER_VALUE * actual.length));
            assertThat(absSum).as("sum of |x| of %s", expected.path("name").asString())
                    .isCloseTo(expected.path("absSum").asDouble(), within(SUM_ERROR_PER_VALUE * actual.length));
        }
    }

    @Test
    void highestValuesMatchTensorflowJs() {
        for (JsonNode expected : fixture.path("outputs")) {
            float[] actual = outputs.get(expected.path("name").asString()).toFloatArray();
            JsonNode indices = expected.path("topIndices");
            JsonNode values = expected.path("topValues");
            for (int k = 0; k < indices.size(); k++) {
                assertThat((double) actual[indices.get(k).asInt()])
                        .as("top-%d value of %s", k + 1, expected.path("name").asString())
                        .isCloseTo(values.get(k).asDouble(), within(MAX_ABS_ERROR));
            }
        }
    }
}
