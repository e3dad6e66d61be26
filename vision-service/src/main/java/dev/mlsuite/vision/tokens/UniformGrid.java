package dev.mlsuite.vision.tokens;

import java.util.ArrayList;
import java.util.List;

/** The baseline tiling: {@code columns x rows = count} cells whose shape is as close to square as the count allows. */
public final class UniformGrid {

    private UniformGrid() {
    }

    /**
     * Tiles the image into exactly {@code count} cells in a {@code columns x rows} grid, picking
     * among the factorisations of {@code count} the one whose cells are closest to square.
     * Cell edges are at {@code round(i * width / columns)} and {@code round(j * height / rows)}.
     */
    public static List<Region> regions(int width, int height, int count) {
        int[] shape = gridShape(width, height, count);
        int columns = shape[0];
        int rows = shape[1];

        List<Region> regions = new ArrayList<>(count);
        for (int row = 0; row < rows; row++) {
            int top = (int) Math.round((double) row * height / rows);
            int bottom = (int) Math.round((double) (row + 1) * height / rows);
            for (int column = 0; column < columns; column++) {
                int left = (int) Math.round((double) column * width / columns);
                int right = (int) Math.round((double) (column + 1) * width / columns);
                regions.add(new Region(left, top, right - left, bottom - top));
            }
        }
        return regions;
    }

    /** Returns {@code {columns, rows}}. */
    static int[] gridShape(int width, int height, int count) {
        int[] best = null;
        double bestMismatch = Double.MAX_VALUE;
        for (int columns = 1; columns <= count; columns++) {
            if (count % columns != 0) {
                continue;
            }
            int rows = count / columns;
            if (columns > width || rows > height) {
                continue;
            }
            double mismatch = Math.abs(Math.log(((double) width / columns) / ((double) height / rows)));
            if (mismatch < bestMismatch) {
                bestMismatch = mismatch;
                best = new int[] {columns, rows};
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("No grid of " + count + " cells fits a " + width + "x" + height
                    + " image; choose a count with a factorisation columns x rows, columns <= width, rows <= height");
        }
        return best;
    }
}
