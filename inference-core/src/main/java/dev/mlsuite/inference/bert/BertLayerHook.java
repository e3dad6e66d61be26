package dev.mlsuite.inference.bert;

/**
 * Callback between the attention block and the feed-forward block of each encoder layer, where a
 * caller reads the activations or replaces the tokens, for example by merging similar tokens.
 *
 * <p>A hook that changes the number of tokens returns a state whose mask and sizes match the new
 * hidden states. When {@link TokenState#tokenSizes()} is set, the following layers add
 * {@code log(size)} to the attention scores of each key (proportional attention), and mean
 * pooling weights each position by its size. Arrays that a hook creates belong to the manager of
 * the arrays it receives and are closed with them when the call ends.
 */
@FunctionalInterface
public interface BertLayerHook {

    /** Hook that returns its input unchanged. */
    BertLayerHook NONE = (layerIndex, state) -> state;

    /**
     * Runs after the attention block of layer {@code layerIndex} (0-based), before its feed-forward block.
     *
     * @param state the attention block's output with the current mask and sizes
     * @return the state that the feed-forward block continues with, possibly {@code state} itself
     */
    TokenState afterAttention(int layerIndex, TokenState state);
}
