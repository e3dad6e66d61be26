package dev.mlsuite.vision.tokens;

import java.util.List;

/** Strategy that chooses the regions which seed the tokens. */
public enum TokenInitialisation {

    /** Entropy-driven recursive splitting: {@link EntropyPartition}. */
    ADAPTIVE {
        @Override
        public List<Region> regions(RgbImage image, int tokenCount) {
            return EntropyPartition.partition(image, tokenCount);
        }
    },

    /** A uniform grid of the same count, the baseline: {@link UniformGrid}. */
    GRID {
        @Override
        public List<Region> regions(RgbImage image, int tokenCount) {
            return UniformGrid.regions(image.width(), image.height(), tokenCount);
        }
    };

    public abstract List<Region> regions(RgbImage image, int tokenCount);
}
