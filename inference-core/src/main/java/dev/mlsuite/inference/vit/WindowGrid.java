package dev.mlsuite.inference.vit;

import ai.djl.ndarray.NDArray;

/**
 * Layout of an image cut into {@code windowRows x windowColumns} square windows of
 * {@code tokensPerSide x tokensPerSide} patch tokens each. Windows are ordered row-major, and so
 * are the tokens inside a window.
 *
 * @param windowRows windows along the image height
 * @param windowColumns windows along the image width
 * @param tokensPerSide patch tokens along one side of a window
 */
public record WindowGrid(int windowRows, int windowColumns, int tokensPerSide) {

    public WindowGrid {
        if (windowRows <= 0 || windowColumns <= 0 || tokensPerSide <= 0) {
            throw new IllegalArgumentException("window grid sizes must be positive, got " + windowRows + "x"
                    + windowColumns + " windows of " + tokensPerSide + " tokens per side");
        }
    }

    public int windows() {
        return windowRows * windowColumns;
    }

    public int tokensPerWindow() {
        return tokensPerSide * tokensPerSide;
    }

    /** Token rows of the whole image. */
    public int gridRows() {
        return windowRows * tokensPerSide;
    }

    /** Token columns of the whole image. */
    public int gridColumns() {
        return windowColumns * tokensPerSide;
    }

    /**
     * Cuts {@code pixels [batch, channels, windowRows * side, windowColumns * side]} into windows,
     * {@code [batch * windows, channels, side, side]}.
     */
    public NDArray cutImage(NDArray pixels, int windowSidePixels) {
        long batch = pixels.getShape().get(0);
        long channels = pixels.getShape().get(1);
        return pixels.reshape(batch, channels, windowRows, windowSidePixels, windowColumns, windowSidePixels)
                .transpose(0, 2, 4, 1, 3, 5) // [batch, windowRow, windowColumn, channels, side, side]
                .reshape(batch * windows(), channels, windowSidePixels, windowSidePixels);
    }

    /** Reassembles window tokens {@code [batch * windows, tokensPerWindow, hidden]} into {@code [batch, gridRows, gridColumns, hidden]}. */
    public NDArray toGrid(NDArray windowTokens) {
        long hidden = windowTokens.getShape().get(2);
        long batch = windowTokens.getShape().get(0) / windows();
        return windowTokens.reshape(batch, windowRows, windowColumns, tokensPerSide, tokensPerSide, hidden)
                .transpose(0, 1, 3, 2, 4, 5) // [batch, windowRow, tokenRow, windowColumn, tokenColumn, hidden]
                .reshape(batch, gridRows(), gridColumns(), hidden);
    }

    /** Inverse of {@link #toGrid}: {@code [batch, gridRows, gridColumns, hidden]} to window tokens. */
    public NDArray toWindows(NDArray grid) {
        long batch = grid.getShape().get(0);
        long hidden = grid.getShape().get(3);
        return grid.reshape(batch, windowRows, tokensPerSide, windowColumns, tokensPerSide, hidden)
                .transpose(0, 1, 3, 2, 4, 5)
                .reshape(batch * windows(), tokensPerWindow(), hidden);
    }
}
