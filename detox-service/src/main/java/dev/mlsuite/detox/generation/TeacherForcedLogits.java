package dev.mlsuite.detox.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mlsuite.inference.generation.KvCache;
import dev.mlsuite.inference.generation.ModelInput;
import dev.mlsuite.inference.generation.PaddingSide;
import dev.mlsuite.inference.hooks.HookPoints;
import dev.mlsuite.inference.hooks.Hooks;
import dev.mlsuite.inference.llama.LlamaModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Logits at every position of whole sequences, for training and perplexity. The runtime's forward
 * pass returns only the last position's logits, so this reads the residual stream after the last
 * block through its hook point and applies the final RMSNorm and the output layer itself.
 */
public final class TeacherForcedLogits {

    private final LlamaModel model;
    private final NDArray finalNormWeight; // [hidden]
    private final NDArray outputWeight; // [vocab, hidden]

    /**
     * @param finalNormWeight {@code model.norm.weight} of the same checkpoint
     * @param outputWeight {@code lm_head.weight}, or {@code model.embed_tokens.weight} when tied
     */
    public TeacherForcedLogits(LlamaModel model, NDArray finalNormWeight, NDArray outputWeight) {
        this.model = model;
        this.finalNormWeight = finalNormWeight;
        this.outputWeight = outputWeight;
    }

    public LlamaModel model() {
        return model;
    }

    /**
     * Runs {@code sequences} through the model, right-padded to the longest, and returns logits
     * {@code [batch, tokens, vocab]} in {@code scope}; rows past a sequence's length are padding.
     *
     * @param extraHooks adds hooks that run in the same pass, e.g. steering or an SAE splice
     */
    public NDArray logits(NDManager scope, List<int[]> sequences, Consumer<Hooks.Builder> extraHooks) {
        String lastResidual = HookPoints.residPost(model.config().numHiddenLayers() - 1);
        NDArray[] captured = new NDArray[1];
        Hooks.Builder builder = Hooks.builder();
        extraHooks.accept(builder);
        builder.add(lastResidual, (name, activation) -> {
            captured[0] = activation;
            return activation;
        });
        Hooks hooks = builder.build();

        List<KvCache> caches = new ArrayList<>(sequences.size());
        try {
            List<ModelInput> inputs = new ArrayList<>(sequences.size());
            for (int[] sequence : sequences) {
                KvCache cache = model.newCache();
                caches.add(cache);
                inputs.add(new ModelInput(sequence, cache, hooks));
            }
            model.forward(scope, inputs, PaddingSide.RIGHT);
        } finally {
            caches.forEach(KvCache::close);
        }

        NDArray residual = captured[0]; // [batch, tokens, hidden]
        float eps = model.config().rmsNormEps();
        NDArray normalised = residual.div(residual.square().mean(new int[] {-1}, true).add(eps).sqrt())
                .mul(finalNormWeight);
        return normalised.matMul(outputWeight.transpose()); // [batch, tokens, vocab]
    }

    /**
     * Returns the summed negative log-likelihood of each sequence's tokens from position
     * {@code firstTarget[b]} on, given the tokens before them, and the number of those tokens.
     */
    public double[][] negativeLogLikelihoods(List<int[]> sequences, int[] firstTarget,
            Consumer<Hooks.Builder> extraHooks) {
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray logProbs = logits(scope, sequences, extraHooks).logSoftmax(-1);
            long tokens = logProbs.getShape().get(1);
            long vocab = logProbs.getShape().get(2);
            float[] flat = logProbs.toFloatArray();
            double[][] result = new double[sequences.size()][2];
            for (int b = 0; b < sequences.size(); b++) {
                int[] sequence = sequences.get(b);
                for (int t = Math.max(1, firstTarget[b]); t < sequence.length; t++) {
                    long offset = ((long) b * tokens + (t - 1)) * vocab + sequence[t];
                    result[b][0] -= flat[(int) offset];
                    result[b][1] += 1;
                }
            }
            return result;
        }
    }
}
