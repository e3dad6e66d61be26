package dev.mlsuite.vision.splat;

/**
 * The output of one splat rendering. Pixel {@code (x, y)} has index {@code y * width + x}.
 *
 * @param rgb linear RGB in [0, 1] per channel, interleaved {@code [height, width, 3]}, black background
 * @param depthSum sum of camera z weighted by each Gaussian's blending weight (alpha times transmittance)
 * @param alpha accumulated opacity, 1 minus the final transmittance
 */
public record RenderedView(Camera camera, float[] rgb, float[] depthSum, float[] alpha) {

    public int width() {
        return camera.width();
    }

    public int height() {
        return camera.height();
    }

    /**
     * Returns the alpha-blended depth normalised by the accumulated opacity, or NaN where the
     * opacity is below {@code minAlpha}.
     */
    public float[] expectedDepth(float minAlpha) {
        float[] depth = new float[alpha.length];
        for (int i = 0; i < depth.length; i++) {
            depth[i] = alpha[i] >= minAlpha ? depthSum[i] / alpha[i] : Float.NaN;
        }
        return depth;
    }

    /** Returns the luminance (Rec. 601 weights) scaled to [0, 255]. */
    public float[] luminance() {
        float[] gray = new float[alpha.length];
        for (int i = 0; i < gray.length; i++) {
            gray[i] = 255f * (0.299f * rgb[3 * i] + 0.587f * rgb[3 * i + 1] + 0.114f * rgb[3 * i + 2]);
        }
        return gray;
    }
}
