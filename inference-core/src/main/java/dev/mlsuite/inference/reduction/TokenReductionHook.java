package dev.mlsuite.inference.reduction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.bert.BertLayerHook;
import dev.mlsuite.inference.bert.TokenState;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a {@link TokenReducer} between the attention and feed-forward blocks of the layers that
 * {@link ReductionSettings} selects.
 *
 * <p>Similarity is measured on the attention block's output hidden states, because the encoder does
 * not expose the attention keys that ToMe and PiToMe use. Merged tokens become the size-weighted
 * mean of their members and carry the sum of the sizes, so the encoder's {@code log(size)} key bias
 * and size-weighted mean pooling treat a merged token like the tokens it stands for. Padding
 * positions are never matched and never merged into real tokens. Each row keeps its own number of
 * real tokens, and rows shorter than the longest are padded again.
 *
 * <p>An instance without source tracking is stateless and safe for concurrent forward calls. With
 * source tracking it records, for one forward call, which output position each input position ended
 * in; see {@link #sourceMap()} and {@link #unmerge}.
 */
public final class TokenReductionHook implements BertLayerHook {

    private static final float MIN_SIZE = 1e-12f;

    private final ReductionSettings settings;
    private final TokenReducer reducer;
    private final boolean trackSources;
    private int[][] sourceMap; // [batch][input positions] -> current position, -1 for padding

    private TokenReductionHook(ReductionSettings settings, boolean trackSources) {
        this.settings = settings;
        this.reducer = TokenReducer.of(settings);
        this.trackSources = trackSources;
    }

    /** Returns a stateless hook for {@code settings}, or {@link BertLayerHook#NONE} when it removes no token. */
    public static BertLayerHook of(ReductionSettings settings) {
        return settings.isActive() ? new TokenReductionHook(settings, false) : BertLayerHook.NONE;
    }

    /** Returns a hook that also records the source map; use one instance per forward call. */
    public static TokenReductionHook tracking(ReductionSettings settings) {
        return new TokenReductionHook(settings, true);
    }

    public ReductionSettings settings() {
        return settings;
    }

    /**
     * Returns, per row, the position in the last layer's output that each input position was merged
     * into, or -1 for padding; {@code null} before the first layer ran or without source tracking.
     */
    public int[][] sourceMap() {
        if (sourceMap == null) {
            return null;
        }
        int[][] copy = new int[sourceMap.length][];
        for (int row = 0; row < sourceMap.length; row++) {
            copy[row] = sourceMap[row].clone();
        }
        return copy;
    }

    @Override
    public TokenState afterAttention(int layerIndex, TokenState state) {
        if (trackSources && sourceMap == null) {
            sourceMap = identitySources(state.attentionMask());
        }
        if (!settings.reducesLayer(layerIndex)) {
            return state;
        }
        List<MergePlan> plans = plan(state);
        if (plans == null) {
            return state;
        }
        if (trackSources) {
            updateSources(plans);
        }
        return apply(state, plans);
    }

    /** Plans every row, or returns {@code null} when no row has a token to remove. */
    private List<MergePlan> plan(TokenState state) {
        int batch = (int) state.batchSize();
        int tokens = (int) state.tokenCount();
        float[] mask = state.attentionMask().toFloatArray(); // [batch * tokens]

        int[][] realPositions = new int[batch][];
        boolean anyMerge = false;
        for (int row = 0; row < batch; row++) {
            realPositions[row] = realPositions(mask, row, tokens);
            anyMerge |= settings.mergeCount(realPositions[row].length) > 0;
        }
        if (!anyMerge) {
            return null;
        }

        NDArray hidden = state.hiddenStates(); // [batch, tokens, hidden]
        NDArray unit = hidden.div(hidden.norm(new int[] {2}, true).maximum(MIN_SIZE));
        float[] similarity = unit.matMul(unit.transpose(0, 2, 1)).toFloatArray(); // [batch, tokens, tokens]

        List<MergePlan> plans = new ArrayList<>(batch);
        for (int row = 0; row < batch; row++) {
            int[] real = realPositions[row];
            float[][] rowSimilarity = new float[real.length][real.length];
            int base = row * tokens * tokens;
            for (int i = 0; i < real.length; i++) {
                for (int j = 0; j < real.length; j++) {
                    rowSimilarity[i][j] = similarity[base + real[i] * tokens + real[j]];
                }
            }
            MergePlan realPlan = reducer.plan(rowSimilarity, settings.mergeCount(real.length));
            plans.add(expandToPadded(realPlan, real, tokens));
        }
        return plans;
    }

    private static int[] realPositions(float[] mask, int row, int tokens) {
        int count = 0;
        for (int t = 0; t < tokens; t++) {
            if (mask[row * tokens + t] > 0) {
                count++;
            }
        }
        int[] positions = new int[count];
        int next = 0;
        for (int t = 0; t < tokens; t++) {
            if (mask[row * tokens + t] > 0) {
                positions[next++] = t;
            }
        }
        return positions;
    }

    /** Turns a plan over the real tokens into one over all padded positions; padding is dropped. */
    private static MergePlan expandToPadded(MergePlan realPlan, int[] real, int tokens) {
        int[] destination = new int[tokens];
        java.util.Arrays.fill(destination, -1);
        for (int i = 0; i < real.length; i++) {
            destination[real[i]] = realPlan.destinationOf(i);
        }
        return new MergePlan(destination, realPlan.outputCount());
    }

    /**
     * Merges the tokens of every row by size-weighted mean: output = (W x) / (W 1) with
     * {@code W[row, out, in] = size[in]} where {@code in} goes to {@code out}.
     */
    static TokenState apply(TokenState state, List<MergePlan> plans) {
        NDManager manager = state.hiddenStates().getManager();
        int batch = plans.size();
        int tokens = (int) state.tokenCount();
        int outputTokens = Math.max(1, plans.stream().mapToInt(MergePlan::outputCount).max().orElse(1));
        float[] sizes = state.tokenSizesOrOnes().toFloatArray(); // [batch * tokens]

        float[] weights = new float[batch * outputTokens * tokens];
        float[] outputMask = new float[batch * outputTokens];
        for (int row = 0; row < batch; row++) {
            MergePlan plan = plans.get(row);
            for (int in = 0; in < tokens; in++) {
                int out = plan.destinationOf(in);
                if (out >= 0) {
                    weights[(row * outputTokens + out) * tokens + in] = sizes[row * tokens + in];
                }
            }
            for (int out = 0; out < plan.outputCount(); out++) {
                outputMask[row * outputTokens + out] = 1f;
            }
        }

        NDArray weightMatrix = manager.create(weights, new Shape(batch, outputTokens, tokens));
        NDArray mask = manager.create(outputMask, new Shape(batch, outputTokens));
        NDArray summedSizes = weightMatrix.sum(new int[] {2}); // [batch, outputTokens]
        NDArray merged = weightMatrix.matMul(state.hiddenStates())
                .div(summedSizes.maximum(MIN_SIZE).expandDims(2)); // [batch, outputTokens, hidden]
        NDArray outputSizes = summedSizes.add(mask.neg().add(1)); // padding slots get size 1, so log(size) = 0
        return new TokenState(merged, mask, outputSizes);
    }

    private static int[][] identitySources(NDArray attentionMask) {
        int batch = (int) attentionMask.getShape().get(0);
        int tokens = (int) attentionMask.getShape().get(1);
        float[] mask = attentionMask.toFloatArray();
        int[][] sources = new int[batch][tokens];
        for (int row = 0; row < batch; row++) {
            for (int t = 0; t < tokens; t++) {
                sources[row][t] = mask[row * tokens + t] > 0 ? t : -1;
            }
        }
        return sources;
    }

    private void updateSources(List<MergePlan> plans) {
        for (int row = 0; row < sourceMap.length; row++) {
            for (int t = 0; t < sourceMap[row].length; t++) {
                int current = sourceMap[row][t];
                sourceMap[row][t] = current < 0 ? -1 : plans.get(row).destinationOf(current);
            }
        }
    }

    /**
     * Expands reduced hidden states back to every input position: each position receives the state
     * of the merged token it belongs to, and padding positions receive zeros.
     *
     * @param reduced {@code [batch, tokens', hidden]}
     * @param sourceMap from {@link #sourceMap()}, {@code [batch][tokens]}
     * @return {@code [batch, tokens, hidden]}, in the manager of {@code reduced}
     */
    public static NDArray unmerge(NDArray reduced, int[][] sourceMap) {
        NDManager manager = reduced.getManager();
        int batch = (int) reduced.getShape().get(0);
        int reducedTokens = (int) reduced.getShape().get(1);
        long hidden = reduced.getShape().get(2);
        int tokens = sourceMap[0].length;

        long[] flatIndex = new long[batch * tokens];
        float[] keep = new float[batch * tokens];
        for (int row = 0; row < batch; row++) {
            for (int t = 0; t < tokens; t++) {
                int source = sourceMap[row][t];
                flatIndex[row * tokens + t] = (long) row * reducedTokens + Math.max(source, 0);
                keep[row * tokens + t] = source >= 0 ? 1f : 0f;
            }
        }
        NDArray rows = reduced.reshape(batch * (long) reducedTokens, hidden)
                .get(new NDIndex("{}", manager.create(flatIndex))); // [batch * tokens, hidden]
        return rows.mul(manager.create(keep, new Shape(batch * (long) tokens, 1)))
                .reshape(batch, tokens, hidden);
    }
}
