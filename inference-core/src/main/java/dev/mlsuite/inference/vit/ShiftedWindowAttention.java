package dev.mlsuite.inference.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Shifted-window attention block that lets neighbouring windows exchange information, as in the
 * Swin Transformer and TextMonkey: the token grid is rolled by half a window along both axes,
 * self-attention runs inside each window of the rolled grid, and the grid is rolled back.
 * Tokens that meet only because the roll wrapped the grid around are masked from each other.
 *
 * <p>Weights under {@code prefix}: {@code layer_norm1}, {@code self_attn.{q,k,v,out}_proj},
 * {@code layer_norm2}, {@code mlp.fc1/fc2}. Both residual branches end in a projection
 * ({@code self_attn.out_proj}, {@code mlp.fc2}), so zero-initialising those makes the block start
 * as the identity.
 */
public final class ShiftedWindowAttention {

    private static final float MASKED = -1e9f;

    private final WindowGrid grid;
    private final int shift;
    private final LayerNorm layerNorm1;
    private final MultiHeadAttention selfAttention;
    private final LayerNorm layerNorm2;
    private final VitMlp mlp;

    public ShiftedWindowAttention(VitWeights weights, String prefix, VitConfig config, WindowGrid grid) {
        this.grid = grid;
        this.shift = grid.tokensPerSide() / 2;
        this.layerNorm1 = new LayerNorm(weights, prefix + ".layer_norm1", config.hiddenSize(), config.layerNormEps());
        this.selfAttention = new MultiHeadAttention(weights, prefix + ".self_attn", config.hiddenSize(),
                config.numAttentionHeads());
        this.layerNorm2 = new LayerNorm(weights, prefix + ".layer_norm2", config.hiddenSize(), config.layerNormEps());
        this.mlp = new VitMlp(weights, prefix + ".mlp", config.hiddenSize(), config.intermediateSize());
    }

    /** Maps window tokens {@code [batch * windows, tokensPerWindow, hidden]} to the same shape. */
    public NDArray forward(NDArray windowTokens) {
        NDArray rolled = roll(grid.toGrid(windowTokens), -shift); // [batch, gridRows, gridColumns, hidden]
        NDArray shiftedWindows = grid.toWindows(rolled);
        long batch = windowTokens.getShape().get(0) / grid.windows();

        NDArray mask = wrapMask(windowTokens.getManager(), batch); // [batch * windows, 1, tokens, tokens]
        NDArray attended = selfAttention.forward(layerNorm1.forward(shiftedWindows), mask);
        NDArray attendedInPlace = grid.toWindows(roll(grid.toGrid(attended), shift));

        NDArray afterAttention = windowTokens.add(attendedInPlace);
        return afterAttention.add(mlp.forward(layerNorm2.forward(afterAttention)));
    }

    /** Rolls {@code x [batch, rows, columns, hidden]} by {@code offset} tokens along rows and columns. */
    private NDArray roll(NDArray x, int offset) {
        return rollAxis(rollAxis(x, 1, offset, grid.gridRows()), 2, offset, grid.gridColumns());
    }

    private static NDArray rollAxis(NDArray x, int axis, int offset, int length) {
        int split = Math.floorMod(-offset, length); // element `split` moves to index 0
        if (split == 0) {
            return x;
        }
        String head = axis == 1 ? ":, " + split + ":" : ":, :, " + split + ":";
        String tail = axis == 1 ? ":, :" + split : ":, :, :" + split;
        return NDArrays.concat(new NDList(x.get(new NDIndex(head)), x.get(new NDIndex(tail))), axis);
    }

    /**
     * Builds the additive mask of the rolled grid's windows: within the last window row (column) the
     * trailing {@code shift} token rows (columns) wrapped around from the top (left), so they may
     * only attend to each other.
     */
    NDArray wrapMask(NDManager manager, long batch) {
        int side = grid.tokensPerSide();
        int tokens = grid.tokensPerWindow();
        float[] mask = new float[grid.windows() * tokens * tokens];
        for (int windowRow = 0; windowRow < grid.windowRows(); windowRow++) {
            for (int windowColumn = 0; windowColumn < grid.windowColumns(); windowColumn++) {
                int window = windowRow * grid.windowColumns() + windowColumn;
                int[] region = new int[tokens];
                for (int t = 0; t < tokens; t++) {
                    int row = windowRow * side + t / side;
                    int column = windowColumn * side + t % side;
                    boolean wrappedRow = row >= grid.gridRows() - shift;
                    boolean wrappedColumn = column >= grid.gridColumns() - shift;
                    region[t] = (wrappedRow ? 2 : 0) + (wrappedColumn ? 1 : 0);
                }
                for (int query = 0; query < tokens; query++) {
                    for (int key = 0; key < tokens; key++) {
                        if (region[query] != region[key]) {
                            mask[(window * tokens + query) * tokens + key] = MASKED;
                        }
                    }
                }
            }
        }
        NDArray perWindow = manager.create(mask, new Shape(1, grid.windows(), 1, tokens, tokens));
        return perWindow.broadcast(new Shape(batch, grid.windows(), 1, tokens, tokens))
                .reshape(batch * grid.windows(), 1, tokens, tokens);
    }
}
