package dev.mlsuite.vision.stereo;

/**
 * Settings of {@link SemiGlobalMatcher}.
 *
 * @param censusRadius half side of the census window; 3 gives a 7x7 window and 48-bit descriptors
 * @param p1 path penalty for a disparity change of one pixel, in Hamming-distance units
 * @param p2 path penalty for a larger disparity change, in Hamming-distance units; must exceed {@code p1}
 * @param uniquenessRatio a winner is rejected when another disparity more than one pixel away
 *     has an aggregated cost within this fraction of it (0 disables the check)
 * @param maxLeftRightDifference largest accepted difference in pixels between the left disparity
 *     and the right disparity at the matched pixel; negative disables the check
 * @param medianRadius radius of the median filter over valid disparities (0 disables it, 1 is 3x3)
 * @param speckleWindowSize connected regions of similar disparity with fewer pixels are invalidated (0 disables)
 * @param speckleRange largest disparity difference in pixels between neighbours of one region
 */
public record SgmParameters(int censusRadius, int p1, int p2, double uniquenessRatio, double maxLeftRightDifference,
        int medianRadius, int speckleWindowSize, double speckleRange) {

    public static final SgmParameters DEFAULTS = new SgmParameters(3, 8, 96, 0.05, 1.0, 1, 100, 1.0);

    public SgmParameters {
        if (censusRadius < 1 || (2 * censusRadius + 1) * (2 * censusRadius + 1) - 1 > 64) {
            throw new IllegalArgumentException("censusRadius must be 1..3 (a window of at most 64 bits), got "
                    + censusRadius);
        }
        if (p1 < 0 || p2 <= p1 || p2 > 1000) {
            throw new IllegalArgumentException("Penalties need 0 <= p1 < p2 <= 1000, got p1=" + p1 + ", p2=" + p2);
        }
        if (uniquenessRatio < 0 || uniquenessRatio >= 1) {
            throw new IllegalArgumentException("uniquenessRatio must be in [0, 1), got " + uniquenessRatio);
        }
        if (medianRadius < 0 || medianRadius > 3) {
            throw new IllegalArgumentException("medianRadius must be 0..3, got " + medianRadius);
        }
        if (speckleWindowSize < 0 || speckleRange < 0) {
            throw new IllegalArgumentException("Speckle settings must not be negative");
        }
    }
}
