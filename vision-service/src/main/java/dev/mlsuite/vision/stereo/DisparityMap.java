package dev.mlsuite.vision.stereo;

/**
 * Disparities of the left image in pixels ({@code x_left - x_right}); an invalid pixel holds
 * {@code NaN}. Pixel {@code (x, y)} is at {@code y * width + x}.
 */
public record DisparityMap(int width, int height, float[] disparity) {

    public boolean isValid(int index) {
        return !Float.isNaN(disparity[index]);
    }

    public int validCount() {
        int valid = 0;
        for (float d : disparity) {
            valid += Float.isNaN(d) ? 0 : 1;
        }
        return valid;
    }

    /**
     * Converts disparity to depth {@code fx * baseline / d} for a rectified pair, NaN where the
     * disparity is invalid or not positive.
     */
    public float[] toDepth(double fx, double baseline) {
        float[] depth = new float[disparity.length];
        for (int i = 0; i < depth.length; i++) {
            float d = disparity[i];
            depth[i] = d > 0 ? (float) (fx * baseline / d) : Float.NaN;
        }
        return depth;
    }
}
