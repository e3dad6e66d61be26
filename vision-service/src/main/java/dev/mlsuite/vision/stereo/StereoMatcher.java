package dev.mlsuite.vision.stereo;

/**
 * Computes a disparity map for a rectified stereo pair, where a left pixel {@code x} corresponds to
 * the right pixel {@code x - d}. Implementations must be safe to call from several threads.
 */
public interface StereoMatcher {

    /**
     * Returns the left image's disparities searched in {@code [minDisparity, minDisparity + disparityCount)};
     * pixels without a reliable match are NaN.
     */
    DisparityMap match(GrayImage left, GrayImage right, int minDisparity, int disparityCount);
}
