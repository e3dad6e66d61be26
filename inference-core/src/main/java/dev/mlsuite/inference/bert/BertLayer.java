package dev.mlsuite.inference.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mlsuite.inference.io.Checkpoint;

/** One encoder layer ({@code encoder.layer.N.*}): attention block, hook point, feed-forward block. */
final class BertLayer {

    /** Bias that removes a padding key from the softmax; the same value as {@code torch.finfo(float32).min}. */
    private static final float MASKED_SCORE = -Float.MAX_VALUE;

    private final int index;
    private final BertSelfAttention selfAttention;
    private final BertSelfOutput attentionOutput;
    private final BertIntermediate intermediate;
    private final BertOutput output;

    private BertLayer(int index, BertSelfAttention selfAttention, BertSelfOutput attentionOutput,
            BertIntermediate intermediate, BertOutput output) {
        this.index = index;
        this.selfAttention = selfAttention;
        this.attentionOutput = attentionOutput;
        this.intermediate = intermediate;
        this.output = output;
    }

    static BertLayer load(Checkpoint checkpoint, String prefix, int index, BertConfig config, NDManager manager) {
        String layer = prefix + "encoder.layer." + index + ".";
        return new BertLayer(index,
                BertSelfAttention.load(checkpoint, layer + "attention.self.", config, manager),
                BertSelfOutput.load(checkpoint, layer + "attention.output.", config, manager),
                BertIntermediate.load(checkpoint, layer + "intermediate.", config, manager),
                BertOutput.load(checkpoint, layer + "output.", config, manager));
    }

    /** Runs the layer on {@code state} and returns the new state, calling {@code hook} between its two blocks. */
    TokenState forward(TokenState state, BertLayerHook hook) {
        NDArray hidden = state.hiddenStates(); // [batch, tokens, hidden]
        NDArray context = selfAttention.forward(hidden, keyBias(state));
        NDArray attended = attentionOutput.forward(context, hidden);

        TokenState afterAttention = hook.afterAttention(index,
                new TokenState(attended, state.attentionMask(), state.tokenSizes()));

        NDArray residual = afterAttention.hiddenStates();
        NDArray result = output.forward(intermediate.forward(residual), residual);
        return new TokenState(result, afterAttention.attentionMask(), afterAttention.tokenSizes());
    }

    /** Builds the additive key bias {@code [batch, 1, 1, tokens]} from the mask and, when set, the token sizes. */
    private static NDArray keyBias(TokenState state) {
        NDArray mask = state.attentionMask(); // [batch, tokens]
        NDArray bias = mask.sub(1).mul(-MASKED_SCORE); // 0 for real tokens, MASKED_SCORE for padding
        if (state.tokenSizes() != null) {
            bias = bias.add(state.tokenSizes().log());
        }
        return bias.reshape(mask.getShape().get(0), 1, 1, mask.getShape().get(1));
    }
}
