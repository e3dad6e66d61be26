package dev.mlsuite.detox.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.mlsuite.inference.engine.DeviceSetting;
import dev.mlsuite.inference.engine.EngineSettings;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.generation.KvCache;
import dev.mlsuite.inference.generation.ModelInput;
import dev.mlsuite.inference.generation.PaddingSide;
import dev.mlsuite.inference.hooks.Hooks;
import dev.mlsuite.inference.llama.HfLlamaLoader;
import dev.mlsuite.inference.llama.Llama2cCheckpoint;
import dev.mlsuite.inference.llama.LlamaModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights written in Hugging Face layout give the logits of the llama2.c original. */
class HfLlamaExportTest {

    @TempDir
    Path folder;

    private static float[] logits(LlamaModel model, int[] tokens) {
        try (NDManager scope = model.manager().newSubManager(); KvCache cache = model.newCache()) {
            return model.forward(scope, List.of(new ModelInput(tokens, cache, Hooks.NONE)), PaddingSide.RIGHT)
                    .toFloatArray();
        }
    }

    @Test
    void exportedStoriesModelReproducesLogits() throws IOException {
        InferenceEngine engine = InferenceEngine.start(EngineSettings.defaults().withDevice(DeviceSetting.CPU)
                .withCacheDirectory(Path.of("target", "djl-engine-cache").toAbsolutePath()).withThreads(1, 1));
        int[] tokens = {1, 403, 407, 261, 378, 275, 280, 299, 301, 268};
        try (NDManager manager = engine.newManager()) {
            Llama2cCheckpoint checkpoint = Llama2cCheckpoint.load(
                    Path.of("..", "models", "stories260K", "stories260K.bin"), manager, "test");
            LlamaModel original = new LlamaModel("original", checkpoint.config(), checkpoint.weights(),
                    manager.newSubManager());
            HfLlamaExport.write(folder, checkpoint.config(), checkpoint.tensors());

            try (LlamaModel exported = HfLlamaLoader.load(folder, engine, "test")) {
                float[] expected = logits(original, tokens);
                float[] actual = logits(exported, tokens);

                assertThat(actual).hasSize(expected.length);
                for (int i = 0; i < expected.length; i++) {
                    assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], within(1e-4f));
                }
            }
        }
    }
}
