package dev.mlsuite.detox.sae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mlsuite.detox.generation.TeacherForcedLogits;
import dev.mlsuite.inference.generation.KvCache;
import dev.mlsuite.inference.generation.ModelInput;
import dev.mlsuite.inference.generation.PaddingSide;
import dev.mlsuite.inference.hooks.Hooks;
import dev.mlsuite.inference.llama.LlamaModel;
import java.util.ArrayList;
import java.util.List;

/** Reads the residual stream at one hook point for whole token sequences. */
public final class ResidualActivations {

    private ResidualActivations() {
    }

    /**
     * Returns, per sequence, the activation at {@code hookName} of every token, {@code [tokens][d]};
     * sequences run in batches of {@code batchSize}.
     */
    public static List<float[][]> collect(LlamaModel model, String hookName, List<int[]> sequences, int batchSize) {
        List<float[][]> result = new ArrayList<>(sequences.size());
        for (int start = 0; start < sequences.size(); start += batchSize) {
            List<int[]> batch = sequences.subList(start, Math.min(sequences.size(), start + batchSize));
            try (NDManager scope = model.manager().newSubManager()) {
                float[][] captured = new float[1][];
                long[] shape = new long[3];
                Hooks hooks = Hooks.builder().add(hookName, (name, activation) -> {
                    captured[0] = activation.toFloatArray();
                    System.arraycopy(activation.getShape().getShape(), 0, shape, 0, 3);
                    return activation;
                }).build();
                List<KvCache> caches = new ArrayList<>();
                try {
                    List<ModelInput> inputs = new ArrayList<>();
                    for (int[] sequence : batch) {
                        KvCache cache = model.newCache();
                        caches.add(cache);
                        inputs.add(new ModelInput(sequence, cache, hooks));
                    }
                    model.forward(scope, inputs, PaddingSide.RIGHT);
                } finally {
                    caches.forEach(KvCache::close);
                }
                int tokens = (int) shape[1];
                int width = (int) shape[2];
                for (int b = 0; b < batch.size(); b++) {
                    float[][] rows = new float[batch.get(b).length][width];
                    for (int t = 0; t < rows.length; t++) {
                        System.arraycopy(captured[0], (b * tokens + t) * width, rows[t], 0, width);
                    }
                    result.add(rows);
                }
            }
        }
        return result;
    }

    /**
     * Returns the mean next-token loss over {@code sequences} with the activation at the SAE's hook
     * replaced by its reconstruction at every position but the first (BOS), or, when
     * {@code zeroAblate}, by zeros; {@code splice} false gives the clean loss.
     */
    public static double languageModelLoss(TeacherForcedLogits teacher, SparseAutoencoder sae, List<int[]> sequences,
            boolean splice, boolean zeroAblate) {
        double nll = 0;
        double count = 0;
        for (int start = 0; start < sequences.size(); start += 32) {
            List<int[]> batch = sequences.subList(start, Math.min(sequences.size(), start + 32));
            double[][] rows = teacher.negativeLogLikelihoods(batch, new int[batch.size()], builder -> {
                if (splice) {
                    builder.add(sae.hookName(), (name, activation) -> {
                        NDArray replacement = zeroAblate ? activation.zerosLike() : sae.decode(sae.encode(activation));
                        NDArray keep = activation.getManager().zeros(activation.getShape());
                        keep.set(new ai.djl.ndarray.index.NDIndex(":, 0, :"), 1f);
                        return activation.mul(keep).add(replacement.mul(keep.neg().add(1f)));
                    });
                }
            });
            for (double[] row : rows) {
                nll += row[0];
                count += row[1];
            }
        }
        return nll / count;
    }
}
