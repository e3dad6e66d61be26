package dev.mlsuite.inference.llama;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.mlsuite.inference.engine.TestEngine;
import dev.mlsuite.inference.generation.KvCache;
import dev.mlsuite.inference.generation.LanguageModel;
import dev.mlsuite.inference.generation.ModelInput;
import dev.mlsuite.inference.generation.PaddingSide;
import dev.mlsuite.inference.hooks.Hooks;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LlamaInputEmbeddingsTest {

    private static LanguageModel language;
    private static LlamaModel model;

    @BeforeAll
    static void loadModel() {
        language = Llama2cModelLoader.loadFolder(Stories260K.FOLDER, TestEngine.get(), Stories260K.SETTING);
        model = (LlamaModel) language.model();
    }

    @AfterAll
    static void closeModel() {
        language.close();
    }

    @Test
    void embeddedTokensMatchCachedForward() {
        int[] prompt = language.tokenizer().encode("Once upon a time there was a cat", true);
        float[] expected;
        try (KvCache cache = model.newCache(); NDManager scope = model.manager().newSubManager()) {
            expected = model.forward(scope, List.of(new ModelInput(prompt, cache, Hooks.NONE)), PaddingSide.RIGHT)
                    .toFloatArray();
        }

        float[] actual;
        try (NDManager scope = model.manager().newSubManager()) {
            long[] ids = java.util.Arrays.stream(prompt).asLongStream().toArray();
            NDArray logits = model.forwardEmbeddings(model.embed(scope.create(ids, new Shape(1, ids.length))));
            assertThat(logits.getShape()).isEqualTo(new Shape(1, prompt.length, model.vocabSize()));
            actual = logits.get("0, -1").toFloatArray();
        }

        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-3f));
        }
    }

    @Test
    void rightPaddingLeavesEarlierLogitsUnchanged() {
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray shortIds = scope.create(new long[] {1, 20, 30}, new Shape(1, 3));
            NDArray paddedIds = scope.create(new long[] {1, 20, 30, 0, 0}, new Shape(1, 5));

            NDArray shortLogits = model.forwardEmbeddings(model.embed(shortIds));
            NDArray paddedLogits = model.forwardEmbeddings(model.embed(paddedIds)).get(":, :3");

            assertThat(shortLogits.sub(paddedLogits).abs().max().getFloat()).isLessThan(1e-4f);
        }
    }

    @Test
    void gradientsReachEmbeddingWeights() {
        try (NDManager scope = model.manager().newSubManager()) {
            LlamaConfig config = model.config();
            NDArray weights = scope.randomNormal(new Shape(config.vocabSize(), config.hiddenSize())).mul(0.02f);
            weights.setRequiresGradient(true);
            NDArray ones = scope.ones(new Shape(config.hiddenSize()));
            LlamaModel tiny = new LlamaModel("tiny", config, (name, shape) -> name.equals(LlamaNames.EMBED_TOKENS)
                    ? weights : name.endsWith("norm.weight") ? ones : scope.randomNormal(shape).mul(0.02f), scope);

            try (GradientCollector collector = scope.getEngine().newGradientCollector()) {
                NDArray logits = tiny.forwardEmbeddings(tiny.embed(scope.create(new long[] {1, 5, 7}, new Shape(1, 3))));
                collector.backward(logits.get("0, -1, 9"));
            }

            assertThat(weights.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
        }
    }
}
