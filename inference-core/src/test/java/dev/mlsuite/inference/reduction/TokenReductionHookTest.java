package dev.mlsuite.inference.reduction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.bert.BertEncoder;
import dev.mlsuite.inference.bert.BertLayerHook;
import dev.mlsuite.inference.bert.Pooling;
import dev.mlsuite.inference.bert.TokenState;
import dev.mlsuite.inference.tokenizer.TokenBatch;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Token reduction inside the all-MiniLM-L6-v2 encoder and the merge arithmetic on hand-made states. */
class TokenReductionHookTest {

    private static final String LONG_TEXT = "The committee met on Monday to review the budget. The committee met again on"
            + " Tuesday to review the budget, and the members agreed that the budget needed more review before"
            + " the vote.";
    private static final String SHORT_TEXT = "Rain is expected tomorrow.";

    private static BertEncoder encoder;
    private static NDManager manager;

    @BeforeAll
    static void loadEncoder() throws IOException {
        encoder = BertEncoder.loadAllMiniLmL6V2(Device.cpu());
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void close() {
        manager.close();
        encoder.close();
    }

    @Test
    void mergeTakesSizeWeightedMeanAndSumsSizes() {
        try (NDManager call = manager.newSubManager()) {
            NDArray hidden = call.create(new float[] {1, 0, 0, 3, 6, 0, 5, 5}, new Shape(1, 4, 2));
            NDArray mask = call.ones(new Shape(1, 4));
            NDArray sizes = call.create(new float[] {1, 2, 1, 1}, new Shape(1, 4));

            TokenState merged = TokenReductionHook.apply(new TokenState(hidden, mask, sizes),
                    List.of(new MergePlan(new int[] {0, 1, 1, 2}, 3)));

            // Token 1 (size 2, [0, 3]) and token 2 (size 1, [6, 0]) -> (2 * [0, 3] + [6, 0]) / 3 = [2, 2].
            assertThat(merged.hiddenStates().toFloatArray()).containsExactly(1, 0, 2, 2, 5, 5);
            assertThat(merged.tokenSizes().toFloatArray()).containsExactly(1, 3, 1);
            assertThat(merged.attentionMask().toFloatArray()).containsExactly(1, 1, 1);
        }
    }

    @Test
    void shorterRowsArePaddedAfterMerge() {
        try (NDManager call = manager.newSubManager()) {
            NDArray hidden = call.arange(0f, 12f).reshape(2, 3, 2);
            NDArray mask = call.create(new float[] {1, 1, 1, 1, 1, 0}, new Shape(2, 3));

            TokenState merged = TokenReductionHook.apply(new TokenState(hidden, mask, null),
                    List.of(new MergePlan(new int[] {0, 1, 1}, 2), new MergePlan(new int[] {0, 1, -1}, 2)));

            assertThat(merged.attentionMask().toFloatArray()).containsExactly(1, 1, 1, 1);
            assertThat(merged.tokenSizes().toFloatArray()).containsExactly(1, 2, 1, 1);
            assertThat(merged.hiddenStates().toFloatArray()).containsExactly(0, 1, 3, 4, 6, 7, 8, 9);
        }
    }

    @Test
    void ratioOneIsBitIdenticalToNoReduction() {
        TokenBatch batch = encoder.tokenizer().encodeBatch(List.of(LONG_TEXT, SHORT_TEXT));
        for (ReductionAlgorithm algorithm : ReductionAlgorithm.values()) {
            ReductionSettings settings = ReductionSettings.ofRatio(algorithm, 1.0);

            float[][] plain = encoder.embed(batch, Pooling.MEAN, true);
            float[][] reduced = encoder.embed(batch, Pooling.MEAN, true, TokenReductionHook.tracking(settings));

            for (int row = 0; row < plain.length; row++) {
                assertThat(Arrays.equals(plain[row], reduced[row])).as("%s row %d", algorithm, row).isTrue();
            }
        }
    }

    @Test
    void doubledSizeEqualsDuplicatedToken() {
        TokenBatch batch = encoder.tokenizer().encodeBatch(List.of(SHORT_TEXT));
        int duplicated = 2;
        try (NDManager call = manager.newSubManager()) {
            TokenState withCopy = encoder.forward(call, batch, duplicateAtLayerZero(duplicated));
            TokenState withSize = encoder.forward(call, batch, (layer, state) -> layer == 0
                    ? new TokenState(state.hiddenStates(), state.attentionMask(), doubledSize(state, duplicated))
                    : state);

            NDArray copyWithoutDuplicate = NDArrays.concat(new NDList(
                    withCopy.hiddenStates().get(new NDIndex(":, :{}, :", duplicated + 1)),
                    withCopy.hiddenStates().get(new NDIndex(":, {}:, :", duplicated + 2))), 1);
            assertThat(maxDifference(copyWithoutDuplicate, withSize.hiddenStates())).isLessThan(1e-4f);
            assertThat(maxDifference(call.create(BertEncoder.pool(withCopy, Pooling.MEAN, true)[0]),
                    call.create(BertEncoder.pool(withSize, Pooling.MEAN, true)[0]))).isLessThan(1e-5f);
        }
    }

    @Test
    void mergingIdenticalTokensLeavesOutputsUnchanged() {
        TokenBatch batch = encoder.tokenizer().encodeBatch(List.of(SHORT_TEXT));
        int duplicated = 2; // even position, so the token is in ToMe's set A and its copy in set B
        BertLayerHook duplicate = duplicateAtLayerZero(duplicated);
        BertLayerHook tome = TokenReductionHook.of(
                new ReductionSettings(ReductionAlgorithm.TOME, 1.0, 1, Set.of(1), 0.5, 1.0));
        try (NDManager call = manager.newSubManager()) {
            TokenState withCopy = encoder.forward(call, batch, duplicate);
            TokenState merged = encoder.forward(call, batch,
                    (layer, state) -> tome.afterAttention(layer, duplicate.afterAttention(layer, state)));

            NDArray copyWithoutDuplicate = NDArrays.concat(new NDList(
                    withCopy.hiddenStates().get(new NDIndex(":, :{}, :", duplicated + 1)),
                    withCopy.hiddenStates().get(new NDIndex(":, {}:, :", duplicated + 2))), 1);
            assertThat(merged.tokenCount()).isEqualTo(withCopy.tokenCount() - 1);
            assertThat(merged.tokenSizes().toFloatArray()[duplicated]).isEqualTo(2f);
            assertThat(maxDifference(merged.hiddenStates(), copyWithoutDuplicate)).isLessThan(1e-4f);
        }
    }

    @Test
    void paddingNeverMergesIntoRealTokens() {
        ReductionSettings settings = ReductionSettings.ofRatio(ReductionAlgorithm.PITOME, 0.7);
        TokenBatch batch = encoder.tokenizer().encodeBatch(List.of(LONG_TEXT, SHORT_TEXT));
        TokenReductionHook hook = TokenReductionHook.tracking(settings);

        float[][] batched;
        try (NDManager call = manager.newSubManager()) {
            TokenState state = encoder.forward(call, batch, hook);
            batched = BertEncoder.pool(state, Pooling.MEAN, true);

            int[][] sources = hook.sourceMap();
            float[] mask = state.attentionMask().toFloatArray();
            float[] sizes = state.tokenSizes().toFloatArray();
            int tokens = (int) state.tokenCount();
            for (int row = 0; row < 2; row++) {
                int realInput = batch.tokenCount(row);
                int expected = realInput;
                for (int layer = 0; layer < encoder.config().numHiddenLayers(); layer++) {
                    expected -= settings.mergeCount(expected);
                }
                float realOutput = 0;
                float sizeTotal = 0;
                for (int t = 0; t < tokens; t++) {
                    realOutput += mask[row * tokens + t];
                    sizeTotal += mask[row * tokens + t] * sizes[row * tokens + t];
                }
                assertThat(realOutput).as("row %d real tokens", row).isEqualTo(expected);
                assertThat(sizeTotal).as("row %d sizes", row).isEqualTo(realInput);
                for (int t = 0; t < sources[row].length; t++) {
                    int source = sources[row][t];
                    assertThat(source >= 0).as("row %d position %d", row, t).isEqualTo(t < realInput);
                    if (source >= 0) {
                        assertThat(mask[row * tokens + source]).isEqualTo(1f);
                    }
                }
            }
        }

        for (int row = 0; row < 2; row++) {
            TokenBatch alone = encoder.tokenizer().encodeBatch(List.of(row == 0 ? LONG_TEXT : SHORT_TEXT));
            float[] single = encoder.embed(alone, Pooling.MEAN, true, TokenReductionHook.of(settings))[0];
            for (int d = 0; d < single.length; d++) {
                assertThat(batched[row][d]).isCloseTo(single[d], offset(1e-4f));
            }
        }
    }

    @Test
    void unmergeRestoresEveryPosition() {
        ReductionSettings settings = ReductionSettings.ofRatio(ReductionAlgorithm.TOME, 0.6);
        TokenBatch batch = encoder.tokenizer().encodeBatch(List.of(LONG_TEXT, SHORT_TEXT));
        TokenReductionHook hook = TokenReductionHook.tracking(settings);
        try (NDManager call = manager.newSubManager()) {
            TokenState state = encoder.forward(call, batch, hook);
            int[][] sources = hook.sourceMap();

            NDArray full = TokenReductionHook.unmerge(state.hiddenStates(), sources); // [batch, tokens, hidden]

            assertThat(full.getShape()).isEqualTo(new Shape(2, batch.sequenceLength(), encoder.config().hiddenSize()));
            float[] sizes = state.tokenSizes().toFloatArray();
            for (int row = 0; row < 2; row++) {
                int[] members = new int[(int) state.tokenCount()];
                for (int t = 0; t < sources[row].length; t++) {
                    NDArray restored = full.get(new NDIndex("{}, {}, :", row, t));
                    if (sources[row][t] < 0) {
                        assertThat(restored.abs().max().getFloat()).isZero();
                    } else {
                        members[sources[row][t]]++;
                        NDArray reduced = state.hiddenStates().get(new NDIndex("{}, {}, :", row, sources[row][t]));
                        assertThat(maxDifference(restored, reduced)).isZero();
                    }
                }
                for (int j = 0; j < members.length && members[j] > 0; j++) {
                    assertThat(sizes[row * (int) state.tokenCount() + j]).as("row %d token %d", row, j)
                            .isEqualTo((float) members[j]);
                }
            }

            int[] firstRow = sources[0];
            MergePlan composed = new MergePlan(firstRow, (int) Arrays.stream(firstRow).max().orElse(0) + 1);
            TokenState remerged = TokenReductionHook.apply(new TokenState(full.get(new NDIndex("0:1")),
                    call.ones(new Shape(1, firstRow.length)), null), List.of(composed));
            NDArray firstReduced = state.hiddenStates().get(new NDIndex("0:1, :{}, :", composed.outputCount()));
            assertThat(maxDifference(remerged.hiddenStates(), firstReduced)).isLessThan(1e-5f);
        }
    }

    /** Returns a hook that inserts a copy of token {@code position} right after it in layer 0. */
    private static BertLayerHook duplicateAtLayerZero(int position) {
        return (layer, state) -> {
            if (layer != 0) {
                return state;
            }
            NDArray hidden = state.hiddenStates();
            NDArray copied = NDArrays.concat(new NDList(hidden.get(new NDIndex(":, :{}, :", position + 1)),
                    hidden.get(new NDIndex(":, {}:{}, :", position, position + 1)),
                    hidden.get(new NDIndex(":, {}:, :", position + 1))), 1);
            NDArray mask = copied.getManager().ones(new Shape(1, copied.getShape().get(1)));
            return new TokenState(copied, mask, null);
        };
    }

    private static NDArray doubledSize(TokenState state, int position) {
        float[] sizes = state.tokenSizesOrOnes().toFloatArray();
        sizes[position] = 2;
        return state.hiddenStates().getManager().create(sizes, state.attentionMask().getShape());
    }

    private static float maxDifference(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }
}
