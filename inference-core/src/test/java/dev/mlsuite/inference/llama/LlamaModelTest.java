package dev.mlsuite.inference.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.engine.TestEngine;
import dev.mlsuite.inference.generation.KvCache;
import dev.mlsuite.inference.generation.LanguageModel;
import dev.mlsuite.inference.generation.ModelInput;
import dev.mlsuite.inference.generation.PaddingSide;
import dev.mlsuite.inference.hooks.HookPoints;
import dev.mlsuite.inference.hooks.Hooks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LlamaModelTest {

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
    void greedyDecodingMatchesReference() {
        ReferenceGreedy reference = ReferenceGreedy.load();
        List<Integer> generated = new ArrayList<>();

        try (KvCache cache = model.newCache()) {
            int[] next = reference.promptTokens();
            for (int step = 0; step < reference.greedyTokens().length; step++) {
                float[] logits = forwardOne(cache, next, Hooks.NONE);
                if (step < reference.firstStepLogits().length) {
                    assertLogitsClose(logits, reference.firstStepLogits()[step], 1e-3f);
                }
                int token = argmax(logits);
                generated.add(token);
                next = new int[] {token};
            }
        }

        assertThat(generated).containsExactly(boxed(reference.greedyTokens()));
    }

    @Test
    void allPositionLogitsMatchReferenceSteps() {
        ReferenceGreedy reference = ReferenceGreedy.load();
        int steps = reference.firstStepLogits().length;
        int[] tokens = new int[steps];
        tokens[0] = reference.promptTokens()[0];
        System.arraycopy(reference.greedyTokens(), 0, tokens, 1, steps - 1);

        try (KvCache cache = model.newCache(); NDManager scope = model.manager().newSubManager()) {
            NDArray logits = model.forwardAllPositions(scope, List.of(new ModelInput(tokens, cache, Hooks.NONE)),
                    PaddingSide.RIGHT);

            assertThat(logits.getShape()).isEqualTo(new Shape(1, steps, 512));
            for (int step = 0; step < steps; step++) {
                assertLogitsClose(logits.get(0, step).toFloatArray(), reference.firstStepLogits()[step], 1e-3f);
            }
            assertThat(cache.length()).isEqualTo(steps);
        }
    }

    @Test
    void batchedPrefillMatchesSingleSequences() {
        List<int[]> prompts = List.of(
                language.tokenizer().encode("Once upon a time there was a dog", true),
                language.tokenizer().encode("Lily", true),
                language.tokenizer().encode("The sun was hot and the birds sang in the tall green tree", true));
        List<float[]> expected = new ArrayList<>();
        for (int[] prompt : prompts) {
            try (KvCache cache = model.newCache()) {
                expected.add(forwardOne(cache, prompt, Hooks.NONE));
            }
        }

        for (PaddingSide side : PaddingSide.values()) {
            List<KvCache> caches = new ArrayList<>();
            try (NDManager scope = model.manager().newSubManager()) {
                List<ModelInput> inputs = new ArrayList<>();
                for (int[] prompt : prompts) {
                    KvCache cache = model.newCache();
                    caches.add(cache);
                    inputs.add(new ModelInput(prompt, cache, Hooks.NONE));
                }
                float[][] logits = rows(model.forward(scope, inputs, side));

                for (int b = 0; b < prompts.size(); b++) {
                    assertLogitsClose(logits[b], expected.get(b), 1e-4f);
                    assertThat(caches.get(b).length()).isEqualTo(prompts.get(b).length);
                }
            } finally {
                caches.forEach(KvCache::close);
            }
        }
    }

    @Test
    void batchedDecodeOfUnequalCachesMatchesSingle() {
        int[] shortPrompt = language.tokenizer().encode("Tom", true);
        int[] longPrompt = language.tokenizer().encode("Once upon a time, a girl named Sue went out", true);
        int[] nextTokens = {400, 426};

        float[][] expected = new float[2][];
        int[][] prompts = {shortPrompt, longPrompt};
        for (int b = 0; b < 2; b++) {
            try (KvCache cache = model.newCache()) {
                forwardOne(cache, prompts[b], Hooks.NONE);
                expected[b] = forwardOne(cache, new int[] {nextTokens[b]}, Hooks.NONE);
            }
        }

        try (KvCache first = model.newCache(); KvCache second = model.newCache()) {
            forwardOne(first, shortPrompt, Hooks.NONE);
            forwardOne(second, longPrompt, Hooks.NONE);
            try (NDManager scope = model.manager().newSubManager()) {
                float[][] logits = rows(model.forward(scope, List.of(
                        new ModelInput(new int[] {nextTokens[0]}, first, Hooks.NONE),
                        new ModelInput(new int[] {nextTokens[1]}, second, Hooks.NONE)), PaddingSide.LEFT));

                assertLogitsClose(logits[0], expected[0], 1e-4f);
                assertLogitsClose(logits[1], expected[1], 1e-4f);
            }
        }
    }

    @Test
    void halfRotaryWithPermutedWeightsMatchesInterleaved() {
        int[] prompt = language.tokenizer().encode("One day a cat sat on a mat", true);
        float[] expected;
        try (KvCache cache = model.newCache()) {
            expected = forwardOne(cache, prompt, Hooks.NONE);
        }

        try (NDManager manager = TestEngine.get().newManager()) {
            Llama2cCheckpoint checkpoint = Llama2cCheckpoint.load(Stories260K.MODEL, manager, Stories260K.SETTING);
            LlamaConfig interleaved = checkpoint.config();
            LlamaConfig half = new LlamaConfig(interleaved.hiddenSize(), interleaved.intermediateSize(),
                    interleaved.numHiddenLayers(), interleaved.numAttentionHeads(), interleaved.numKeyValueHeads(),
                    interleaved.vocabSize(), interleaved.maxPositionEmbeddings(), interleaved.rmsNormEps(),
                    interleaved.ropeTheta(), RopeStyle.HALF, interleaved.tieWordEmbeddings());
            Map<String, NDArray> permuted = new HashMap<>(checkpoint.tensors());
            for (int layer = 0; layer < half.numHiddenLayers(); layer++) {
                permuted.put(LlamaNames.queryProjection(layer),
                        toHalfLayout(permuted.get(LlamaNames.queryProjection(layer)), half.numAttentionHeads()));
                permuted.put(LlamaNames.keyProjection(layer),
                        toHalfLayout(permuted.get(LlamaNames.keyProjection(layer)), half.numKeyValueHeads()));
            }
            LlamaModel halfModel = new LlamaModel("half", half, (name, shape) -> permuted.get(name),
                    manager.newSubManager());

            try (KvCache cache = halfModel.newCache(); NDManager scope = manager.newSubManager()) {
                float[] logits = rows(halfModel.forward(scope, List.of(new ModelInput(prompt, cache, Hooks.NONE)),
                        PaddingSide.RIGHT))[0];

                assertLogitsClose(logits, expected, 1e-4f);
            }
        }
    }

    @Test
    void hooksReadAndReplaceResidualStream() {
        int[] prompt = language.tokenizer().encode("A big red ball", true);
        float[] plain;
        try (KvCache cache = model.newCache()) {
            plain = forwardOne(cache, prompt, Hooks.NONE);
        }

        List<Shape> seenShapes = new ArrayList<>();
        float[][] embeddingRow = new float[1][];
        Hooks readOnly = Hooks.builder()
                .add(HookPoints.residPre(0), (name, activation) -> {
                    embeddingRow[0] = activation.get("0, 0").toFloatArray();
                    return activation;
                })
                .add(HookPoints.residPost(4), (name, activation) -> {
                    seenShapes.add(activation.getShape());
                    return activation;
                })
                .build();
        float[] observed;
        try (KvCache cache = model.newCache()) {
            observed = forwardOne(cache, prompt, readOnly);
        }

        assertThat(observed).containsExactly(plain);
        assertThat(seenShapes).containsExactly(new Shape(1, prompt.length, 64));
        assertThat(embeddingRow[0]).containsExactly(model.manager().isOpen()
                ? checkpointRow(LlamaNames.EMBED_TOKENS, Llama2cTokenizer.BOS_ID) : new float[0]);

        Hooks steering = Hooks.builder()
                .add(HookPoints.residPost(2), (name, activation) -> activation.add(3f))
                .build();
        float[] steered;
        try (KvCache cache = model.newCache()) {
            steered = forwardOne(cache, prompt, steering);
        }
        assertThat(maxAbsDifference(steered, plain)).isGreaterThan(0.1f);
    }

    @Test
    void rowsWithDifferentHooksAreHookedSeparately() {
        int[] prompt = language.tokenizer().encode("The dog ran", true);
        Hooks steering = Hooks.builder().add(HookPoints.residPre(1), (name, activation) -> activation.mul(0.5f)).build();
        float[] plain;
        float[] steered;
        try (KvCache cache = model.newCache()) {
            plain = forwardOne(cache, prompt, Hooks.NONE);
        }
        try (KvCache cache = model.newCache()) {
            steered = forwardOne(cache, prompt, steering);
        }

        try (KvCache first = model.newCache(); KvCache second = model.newCache();
                NDManager scope = model.manager().newSubManager()) {
            float[][] logits = rows(model.forward(scope, List.of(new ModelInput(prompt, first, Hooks.NONE),
                    new ModelInput(prompt, second, steering)), PaddingSide.RIGHT));

            assertLogitsClose(logits[0], plain, 1e-4f);
            assertLogitsClose(logits[1], steered, 1e-4f);
        }
    }

    private static float[] checkpointRow(String name, int row) {
        try (NDManager manager = TestEngine.get().newManager()) {
            return Llama2cCheckpoint.load(Stories260K.MODEL, manager, Stories260K.SETTING).tensors().get(name)
                    .get(row).toFloatArray();
        }
    }

    /** Reorders each head's rows from interleaved pairs to halves, as Hugging Face's LLaMA conversion does. */
    private static NDArray toHalfLayout(NDArray weight, int heads) {
        long rows = weight.getShape().get(0);
        long columns = weight.getShape().get(1);
        return weight.reshape(heads, rows / heads / 2, 2, columns).transpose(0, 2, 1, 3).reshape(rows, columns);
    }

    private static float[] forwardOne(KvCache cache, int[] tokens, Hooks hooks) {
        try (NDManager scope = model.manager().newSubManager()) {
            return model.forward(scope, List.of(new ModelInput(tokens, cache, hooks)), PaddingSide.RIGHT).toFloatArray();
        }
    }

    private static float[][] rows(NDArray logits) {
        int batch = (int) logits.getShape().get(0);
        int vocab = (int) logits.getShape().get(1);
        float[] flat = logits.toFloatArray();
        float[][] rows = new float[batch][];
        for (int b = 0; b < batch; b++) {
            rows[b] = java.util.Arrays.copyOfRange(flat, b * vocab, (b + 1) * vocab);
        }
        return rows;
    }

    private static void assertLogitsClose(float[] actual, float[] expected, float tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        assertThat(maxAbsDifference(actual, expected)).isCloseTo(0f, within(tolerance));
    }

    private static float maxAbsDifference(float[] a, float[] b) {
        float max = 0f;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static Integer[] boxed(int[] values) {
        return java.util.Arrays.stream(values).boxed().toArray(Integer[]::new);
    }
}
