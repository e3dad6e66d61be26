package dev.mlsuite.inference.vit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VitModulesTest {

    private static final VitConfig CONFIG = new VitConfig(8, 16, 2, 2, 1, 8, 2, 1e-5f);

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** Random normal weights, created on first request, with zero {@code out_proj} and {@code fc2} when asked. */
    private VitWeights randomWeights(long seed, boolean zeroOutputProjections) {
        Random random = new Random(seed);
        Map<String, NDArray> created = new HashMap<>();
        return (name, shape) -> created.computeIfAbsent(name, key -> {
            float[] values = new float[(int) shape.size()];
            boolean zero = zeroOutputProjections && (key.contains("out_proj") || key.contains("fc2"));
            for (int i = 0; i < values.length && !zero; i++) {
                values[i] = (float) random.nextGaussian() * 0.3f;
            }
            return manager.create(values, shape);
        });
    }

    @Test
    void encoderReturnsOneTokenPerPatch() {
        VitEncoder encoder = new VitEncoder(CONFIG, randomWeights(1, false));

        NDArray tokens = encoder.forward(manager.randomNormal(new Shape(3, 1, 8, 8)));

        assertThat(tokens.getShape()).isEqualTo(new Shape(3, 16, 8));
        assertThat(tokens.isNaN().any().getBoolean()).isFalse();
    }

    @Test
    void windowGridRoundTripsTokens() {
        WindowGrid grid = new WindowGrid(2, 3, 4);
        NDArray windows = manager.randomNormal(new Shape(2 * 6, 16, 5));

        NDArray restored = grid.toWindows(grid.toGrid(windows));

        assertThat(restored.getShape()).isEqualTo(windows.getShape());
        assertThat(restored.contentEquals(windows)).isTrue();
    }

    @Test
    void cutImagePutsTopRightWindowSecond() {
        WindowGrid grid = new WindowGrid(1, 2, 1);
        float[] pixels = new float[2 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i; // row-major 2 x 4 image
        }

        NDArray windows = grid.cutImage(manager.create(pixels, new Shape(1, 1, 2, 4)), 2);

        assertThat(windows.getShape()).isEqualTo(new Shape(2, 1, 2, 2));
        assertThat(windows.get("1").toFloatArray()).containsExactly(2f, 3f, 6f, 7f);
    }

    @Test
    void zeroInitialisedShiftedWindowsAreIdentity() {
        WindowGrid grid = new WindowGrid(2, 2, 4);
        ShiftedWindowAttention block = new ShiftedWindowAttention(randomWeights(2, true), "swin", CONFIG, grid);
        NDArray tokens = manager.randomNormal(new Shape(2 * 4, 16, 8));

        NDArray output = block.forward(tokens);

        assertThat(output.contentEquals(tokens)).isTrue();
    }

    @Test
    void shiftedWindowsMixNeighbouringWindows() {
        WindowGrid grid = new WindowGrid(1, 2, 4);
        ShiftedWindowAttention block = new ShiftedWindowAttention(randomWeights(3, false), "swin", CONFIG, grid);
        NDArray tokens = manager.randomNormal(new Shape(2, 16, 8));
        NDArray changed = tokens.duplicate();
        changed.set(new ai.djl.ndarray.index.NDIndex("1, 0, :"), 5f); // first token of the right window

        NDArray before = block.forward(tokens).get("0");
        NDArray after = block.forward(changed).get("0");

        // The left window's last column shares a shifted window with the right window's first column.
        assertThat(before.get("3").sub(after.get("3")).abs().max().getFloat()).isGreaterThan(1e-4f);
    }

    @Test
    void wrapMaskSeparatesWrappedTokens() {
        WindowGrid grid = new WindowGrid(1, 2, 2);
        ShiftedWindowAttention block = new ShiftedWindowAttention(randomWeights(4, false), "swin", CONFIG, grid);

        float[] mask = block.wrapMask(manager, 1).toFloatArray(); // [2 windows, 1, 4, 4]

        // Window 0 of the rolled 2 x 4 grid has no wrapped column; its last row wrapped around.
        assertThat(mask[0 * 4 + 1]).isZero();
        assertThat(mask[0 * 4 + 2]).isNegative();
        // Window 1: column 3 wrapped around, column 2 did not.
        int window1 = 16;
        assertThat(mask[window1 + 0 * 4 + 1]).isNegative();
        assertThat(mask[window1 + 1 * 4 + 3]).isNegative();
        assertThat(mask[window1 + 2 * 4 + 0]).isNegative();
        assertThat(mask[window1 + 1 * 4 + 1]).isZero();
        assertThat(mask[window1 + 3 * 4 + 3]).isZero();
    }

    @Test
    void filterKeepsLeastSimilarTokens() {
        // Tokens 0-2 point almost the same way, token 3 is orthogonal to them, token 4 is opposite.
        float[] tokens = {
            1f, 0f, 0f,
            1f, 0.1f, 0f,
            1f, 0f, 0.1f,
            0f, 1f, 0f,
            -1f, 0f, 0f,
        };
        NDArray input = manager.create(tokens, new Shape(1, 5, 3));

        long[] kept = SimilarityTokenFilter.select(input, 2, SimilarityTokenFilter.Score.MAX).toLongArray();
        long[] keptByMean = SimilarityTokenFilter.select(input, 1, SimilarityTokenFilter.Score.MEAN).toLongArray();

        assertThat(kept).containsExactlyInAnyOrder(3L, 4L);
        assertThat(keptByMean).containsExactly(4L);
    }

    @Test
    void filterScoreIgnoresSelfSimilarity() {
        NDArray input = manager.create(new float[] {1f, 0f, 0f, 1f}, new Shape(1, 2, 2));

        float[] scores = SimilarityTokenFilter.scores(input, SimilarityTokenFilter.Score.MAX).toFloatArray();

        assertThat(scores).containsExactly(0f, 0f);
    }

    @Test
    void gatherPicksRowsPerImage() {
        NDArray tokens = manager.arange(0f, 2 * 3 * 2).reshape(2, 3, 2);
        NDArray indices = manager.create(new long[] {2, 0, 1, 1}, new Shape(2, 2));

        NDArray gathered = SimilarityTokenFilter.gather(tokens, indices);

        assertThat(gathered.toFloatArray()).containsExactly(4f, 5f, 0f, 1f, 8f, 9f, 8f, 9f);
    }

    @Test
    void resamplerReturnsOneTokenPerQuery() {
        TokenResampler resampler = new TokenResampler(randomWeights(5, false), "resampler", CONFIG);

        NDArray output = resampler.forward(manager.randomNormal(new Shape(2, 3, 8)),
                manager.randomNormal(new Shape(2, 20, 8)));

        assertThat(output.getShape()).isEqualTo(new Shape(2, 3, 8));
    }
}
