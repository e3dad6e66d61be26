package dev.mlsuite.detox.sae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.engine.DeviceSetting;
import dev.mlsuite.inference.engine.EngineSettings;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading SAELens folders, including JumpReLU and {@code b_dec} shaped {@code [1, d]}. */
class SparseAutoencoderTest {

    static InferenceEngine engine;

    @TempDir
    Path folder;

    @BeforeAll
    static void startEngine() {
        engine = InferenceEngine.start(EngineSettings.defaults().withDevice(DeviceSetting.CPU)
                .withCacheDirectory(Path.of("target", "djl-engine-cache").toAbsolutePath()).withThreads(1, 1));
    }

    private static float[] random(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    @Test
    void jumpReluMatchesDirectComputation() throws IOException {
        int dIn = 4;
        int dSae = 6;
        Random random = new Random(3);
        float[] encoder = random(random, dIn * dSae);
        float[] encoderBias = random(random, dSae);
        float[] decoder = random(random, dSae * dIn);
        float[] decoderBias = random(random, dIn);
        float[] threshold = {0.1f, 0.5f, 0.2f, 1.0f, 0.0f, 0.3f};
        float[] x = random(random, dIn);

        try (NDManager manager = engine.newManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            tensors.put("W_enc", manager.create(encoder, new Shape(dIn, dSae)));
            tensors.put("b_enc", manager.create(encoderBias, new Shape(dSae)));
            tensors.put("W_dec", manager.create(decoder, new Shape(dSae, dIn)));
            tensors.put("b_dec", manager.create(decoderBias, new Shape(1, dIn)));
            tensors.put("threshold", manager.create(threshold, new Shape(dSae)));
            Safetensors.write(folder.resolve(SparseAutoencoder.WEIGHTS_FILE), tensors, Map.of());
            Files.writeString(folder.resolve(SparseAutoencoder.CONFIG_FILE), """
                    {"architecture": "jumprelu", "d_in": 4, "d_sae": 6, "apply_b_dec_to_input": true,
                     "normalize_activations": "none", "metadata": {"hook_name": "blocks.8.hook_resid_pre"}}
                    """);

            SparseAutoencoder sae = SparseAutoencoder.load(folder, manager);
            float[] features = sae.encode(manager.create(x, new Shape(1, dIn))).toFloatArray();

            assertThat(sae.hookName()).isEqualTo("blocks.8.hook_resid_pre");
            assertThat(sae.architecture()).isEqualTo(SparseAutoencoder.Architecture.JUMPRELU);
            for (int f = 0; f < dSae; f++) {
                double pre = encoderBias[f];
                for (int i = 0; i < dIn; i++) {
                    pre += (x[i] - decoderBias[i]) * encoder[i * dSae + f];
                }
                double expected = pre > threshold[f] ? pre : 0;
                assertThat((double) features[f]).as("feature %d", f).isCloseTo(expected, within(1e-5));
            }
        }
    }

    @Test
    void topKKeepsKFeaturesAndRoundTrips() throws IOException {
        try (NDManager manager = engine.newManager()) {
            Random random = new Random(5);
            SparseAutoencoder sae = new SparseAutoencoder(SparseAutoencoder.Architecture.TOPK, "blocks.1.hook_resid_pre",
                    3, true, manager.create(random(random, 8 * 16), new Shape(8, 16)),
                    manager.zeros(new Shape(16)), manager.create(random(random, 16 * 8), new Shape(16, 8)),
                    manager.zeros(new Shape(8)), null);
            sae.save(folder, "test-model", Map.of());

            SparseAutoencoder loaded = SparseAutoencoder.load(folder, manager);
            float[] features = loaded.encode(manager.create(random(random, 8), new Shape(1, 8))).toFloatArray();

            assertThat(loaded.architecture()).isEqualTo(SparseAutoencoder.Architecture.TOPK);
            assertThat(loaded.topK()).isEqualTo(3);
            long active = 0;
            for (float value : features) {
                if (value > 0) {
                    active++;
                }
            }
            assertThat(active).isBetween(1L, 3L);
        }
    }

    @Test
    void missingThresholdForJumpReluIsRejected() throws IOException {
        try (NDManager manager = engine.newManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            tensors.put("W_enc", manager.zeros(new Shape(2, 3)));
            tensors.put("b_enc", manager.zeros(new Shape(3)));
            tensors.put("W_dec", manager.zeros(new Shape(3, 2)));
            tensors.put("b_dec", manager.zeros(new Shape(2)));
            Safetensors.write(folder.resolve(SparseAutoencoder.WEIGHTS_FILE), tensors, Map.of());
            Files.writeString(folder.resolve(SparseAutoencoder.CONFIG_FILE),
                    "{\"architecture\": \"jumprelu\", \"hook_name\": \"blocks.0.hook_resid_pre\"}");

            assertThatThrownBy(() -> SparseAutoencoder.load(folder, manager)).isInstanceOf(IOException.class)
                    .hasMessageContaining("threshold");
        }
    }
}
