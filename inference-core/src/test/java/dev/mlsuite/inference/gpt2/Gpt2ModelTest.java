package dev.mlsuite.inference.gpt2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.engine.TestEngine;
import dev.mlsuite.inference.generation.KvCache;
import dev.mlsuite.inference.generation.ModelInput;
import dev.mlsuite.inference.generation.PaddingSide;
import dev.mlsuite.inference.hooks.Hooks;
import dev.mlsuite.inference.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small random GPT-2 checkpoint in Hugging Face layout, written by the test, against a float64
 * reference forward pass written out loop by loop below. No {@code transformers} reference is
 * available offline, so the reference is this independent implementation of the same equations.
 */
class Gpt2ModelTest {

    static final int VOCAB = 40;
    static final int HIDDEN = 16;
    static final int HEADS = 4;
    static final int LAYERS = 2;
    static final int POSITIONS = 24;
    static final int INNER = 4 * HIDDEN;
    static final float EPS = 1e-5f;

    @TempDir
    Path folder;

    final Map<String, float[]> values = new LinkedHashMap<>();
    final Map<String, long[]> shapes = new LinkedHashMap<>();

    private void tensor(String name, Random random, float scale, long... shape) {
        int size = 1;
        for (long dimension : shape) {
            size *= (int) dimension;
        }
        float[] data = new float[size];
        for (int i = 0; i < size; i++) {
            data[i] = (float) (random.nextGaussian() * scale);
        }
        values.put(name, data);
        shapes.put(name, shape);
    }

    @BeforeEach
    void writeCheckpoint() throws IOException {
        Random random = new Random(17);
        tensor("transformer.wte.weight", random, 0.5f, VOCAB, HIDDEN);
        tensor("transformer.wpe.weight", random, 0.2f, POSITIONS, HIDDEN);
        for (int i = 0; i < LAYERS; i++) {
            String p = "transformer.h." + i + ".";
            tensor(p + "ln_1.weight", random, 0.3f, HIDDEN);
            tensor(p + "ln_1.bias", random, 0.1f, HIDDEN);
            tensor(p + "attn.c_attn.weight", random, 0.3f, HIDDEN, 3 * HIDDEN);
            tensor(p + "attn.c_attn.bias", random, 0.1f, 3 * HIDDEN);
            tensor(p + "attn.c_proj.weight", random, 0.3f, HIDDEN, HIDDEN);
            tensor(p + "attn.c_proj.bias", random, 0.1f, HIDDEN);
            tensor(p + "ln_2.weight", random, 0.3f, HIDDEN);
            tensor(p + "ln_2.bias", random, 0.1f, HIDDEN);
            tensor(p + "mlp.c_fc.weight", random, 0.3f, HIDDEN, INNER);
            tensor(p + "mlp.c_fc.bias", random, 0.1f, INNER);
            tensor(p + "mlp.c_proj.weight", random, 0.3f, INNER, HIDDEN);
            tensor(p + "mlp.c_proj.bias", random, 0.1f, HIDDEN);
        }
        tensor("transformer.ln_f.weight", random, 0.3f, HIDDEN);
        tensor("transformer.ln_f.bias", random, 0.1f, HIDDEN);
        for (String name : List.copyOf(values.keySet())) {
            if (name.endsWith("ln_1.weight") || name.endsWith("ln_2.weight") || name.endsWith("ln_f.weight")) {
                float[] weight = values.get(name);
                for (int i = 0; i < weight.length; i++) {
                    weight[i] += 1f;
                }
            }
        }

        try (NDManager manager = TestEngine.get().newManager()) {
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            values.forEach((name, data) -> arrays.put(name, manager.create(data, new Shape(shapes.get(name)))));
            Safetensors.write(folder.resolve(Safetensors.SINGLE_FILE_NAME), arrays, Map.of("format", "pt"));
        }
        Files.writeString(folder.resolve("config.json"), """
                {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "n_embd": 16, "n_layer": 2,
                 "n_head": 4, "n_positions": 24, "vocab_size": 40, "layer_norm_epsilon": 1e-05,
                 "activation_function": "gelu_new", "n_inner": null}
                """);
    }

    @Test
    void logitsMatchFloat64Reference() {
        int[] tokens = {3, 17, 5, 39, 0, 22, 8};
        try (Gpt2Model model = Gpt2Loader.load(folder, TestEngine.get().device(), "test")) {
            float[] actual = lastLogits(model, List.of(tokens));
            double[] expected = referenceLogits(tokens);

            for (int v = 0; v < VOCAB; v++) {
                assertThat((double) actual[v]).as("logit %d", v).isCloseTo(expected[v], within(1e-4));
            }
        }
    }

    @Test
    void decodingWithCacheMatchesFullForward() {
        int[] tokens = {3, 17, 5, 39, 0, 22, 8};
        try (Gpt2Model model = Gpt2Loader.load(folder, TestEngine.get().device(), "test");
                KvCache cache = model.newCache();
                NDManager scope = model.manager().newSubManager()) {
            model.forward(scope, List.of(new ModelInput(java.util.Arrays.copyOf(tokens, 4), cache, Hooks.NONE)),
                    PaddingSide.RIGHT);
            float[] stepped = null;
            for (int t = 4; t < tokens.length; t++) {
                stepped = model.forward(scope, List.of(new ModelInput(new int[] {tokens[t]}, cache, Hooks.NONE)),
                        PaddingSide.RIGHT).toFloatArray();
            }
            double[] expected = referenceLogits(tokens);

            assertThat(cache.length()).isEqualTo(tokens.length);
            for (int v = 0; v < VOCAB; v++) {
                assertThat((double) stepped[v]).as("logit %d", v).isCloseTo(expected[v], within(1e-4));
            }
        }
    }

    @Test
    void allPositionLogitsEndWithLastTokenLogits() {
        int[] tokens = {3, 17, 5, 39, 0, 22, 8};
        try (Gpt2Model model = Gpt2Loader.load(folder, TestEngine.get().device(), "test");
                KvCache cache = model.newCache();
                NDManager scope = model.manager().newSubManager()) {
            NDArray all = model.forwardAllPositions(scope, List.of(new ModelInput(tokens, cache, Hooks.NONE)),
                    PaddingSide.RIGHT);
            float[] flat = all.toFloatArray();
            double[] expected = referenceLogits(tokens);

            assertThat(all.getShape()).isEqualTo(new Shape(1, tokens.length, VOCAB));
            for (int v = 0; v < VOCAB; v++) {
                assertThat((double) flat[(tokens.length - 1) * VOCAB + v]).as("logit %d", v)
                        .isCloseTo(expected[v], within(1e-4));
            }
        }
    }

    @Test
    void hookSeesAndChangesTheResidualStream() {
        int[] tokens = {1, 2, 3};
        try (Gpt2Model model = Gpt2Loader.load(folder, TestEngine.get().device(), "test")) {
            List<String> seen = new ArrayList<>();
            Hooks reading = Hooks.builder().add("blocks.1.hook_resid_pre", (name, activation) -> {
                seen.add(name + " " + activation.getShape());
                return activation;
            }).build();
            Hooks shifting = Hooks.builder().add("blocks.1.hook_resid_pre",
                    (name, activation) -> activation.add(1f)).build();

            float[] plain = logits(model, tokens, reading);
            float[] shifted = logits(model, tokens, shifting);

            assertThat(seen).containsExactly("blocks.1.hook_resid_pre (1, 3, 16)");
            assertThat(shifted).isNotEqualTo(plain);
        }
    }

    private static float[] logits(Gpt2Model model, int[] tokens, Hooks hooks) {
        try (KvCache cache = model.newCache(); NDManager scope = model.manager().newSubManager()) {
            return model.forward(scope, List.of(new ModelInput(tokens, cache, hooks)), PaddingSide.RIGHT)
                    .toFloatArray();
        }
    }

    private static float[] lastLogits(Gpt2Model model, List<int[]> sequences) {
        return logits(model, sequences.get(0), Hooks.NONE);
    }

    // ---- float64 reference: plain loops over the same weights ----

    private double[][] linear(double[][] x, String weight, String bias, int in, int out) {
        float[] w = values.get(weight);
        float[] b = values.get(bias);
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double sum = b[o];
                for (int i = 0; i < in; i++) {
                    sum += x[t][i] * w[i * out + o];
                }
                y[t][o] = sum;
            }
        }
        return y;
    }

    private double[][] layerNorm(double[][] x, String prefix) {
        float[] w = values.get(prefix + ".weight");
        float[] b = values.get(prefix + ".bias");
        double[][] y = new double[x.length][HIDDEN];
        for (int t = 0; t < x.length; t++) {
            double mean = 0;
            for (double v : x[t]) {
                mean += v / HIDDEN;
            }
            double variance = 0;
            for (double v : x[t]) {
                variance += (v - mean) * (v - mean) / HIDDEN;
            }
            for (int i = 0; i < HIDDEN; i++) {
                y[t][i] = (x[t][i] - mean) / Math.sqrt(variance + EPS) * w[i] + b[i];
            }
        }
        return y;
    }

    private double[] referenceLogits(int[] tokens) {
        int n = tokens.length;
        int headDim = HIDDEN / HEADS;
        float[] wte = values.get("transformer.wte.weight");
        float[] wpe = values.get("transformer.wpe.weight");
        double[][] x = new double[n][HIDDEN];
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < HIDDEN; i++) {
                x[t][i] = wte[tokens[t] * HIDDEN + i] + wpe[t * HIDDEN + i];
            }
        }
        for (int layer = 0; layer < LAYERS; layer++) {
            String p = "transformer.h." + layer + ".";
            double[][] qkv = linear(layerNorm(x, p + "ln_1"), p + "attn.c_attn.weight", p + "attn.c_attn.bias",
                    HIDDEN, 3 * HIDDEN);
            double[][] context = new double[n][HIDDEN];
            for (int h = 0; h < HEADS; h++) {
                for (int t = 0; t < n; t++) {
                    double[] scores = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int s = 0; s <= t; s++) {
                        double dot = 0;
                        for (int d = 0; d < headDim; d++) {
                            dot += qkv[t][h * headDim + d] * qkv[s][HIDDEN + h * headDim + d];
                        }
                        scores[s] = dot / Math.sqrt(headDim);
                        max = Math.max(max, scores[s]);
                    }
                    double total = 0;
                    for (int s = 0; s <= t; s++) {
                        scores[s] = Math.exp(scores[s] - max);
                        total += scores[s];
                    }
                    for (int s = 0; s <= t; s++) {
                        for (int d = 0; d < headDim; d++) {
                            context[t][h * headDim + d] += scores[s] / total * qkv[s][2 * HIDDEN + h * headDim + d];
                        }
                    }
                }
            }
            double[][] attended = linear(context, p + "attn.c_proj.weight", p + "attn.c_proj.bias", HIDDEN, HIDDEN);
            for (int t = 0; t < n; t++) {
                for (int i = 0; i < HIDDEN; i++) {
                    x[t][i] += attended[t][i];
                }
            }
            double[][] hidden = linear(layerNorm(x, p + "ln_2"), p + "mlp.c_fc.weight", p + "mlp.c_fc.bias", HIDDEN,
                    INNER);
            for (double[] row : hidden) {
                for (int i = 0; i < INNER; i++) {
                    double v = row[i];
                    row[i] = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                }
            }
            double[][] out = linear(hidden, p + "mlp.c_proj.weight", p + "mlp.c_proj.bias", INNER, HIDDEN);
            for (int t = 0; t < n; t++) {
                for (int i = 0; i < HIDDEN; i++) {
                    x[t][i] += out[t][i];
                }
            }
        }
        double[] last = layerNorm(new double[][] {x[n - 1]}, "transformer.ln_f")[0];
        double[] logits = new double[VOCAB];
        for (int v = 0; v < VOCAB; v++) {
            for (int i = 0; i < HIDDEN; i++) {
                logits[v] += last[i] * wte[v * HIDDEN + i];
            }
        }
        return logits;
    }
}
