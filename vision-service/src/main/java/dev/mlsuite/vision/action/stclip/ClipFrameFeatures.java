package dev.mlsuite.vision.action.stclip;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

import dev.mlsuite.inference.clip.ClipModel;
import dev.mlsuite.vision.action.Detection;
import dev.mlsuite.vision.action.VideoFrame;

/**
 * Converts frames to CLIP input and pools patch features inside person boxes. The whole frame is
 * resized to the model's square input without cropping, so every part of the frame is context and a
 * box maps to the patch grid by scaling each axis.
 */
final class ClipFrameFeatures {

    private ClipFrameFeatures() {
    }

    /** Returns the frame resized to {@code size x size} (bilinear), as normalized RGB {@code [3][size][size]} flattened. */
    static float[] pixels(VideoFrame frame, int size) {
        BufferedImage resized = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = resized.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.drawImage(frame.toBufferedImage(), 0, 0, size, size, null);
        } finally {
            graphics.dispose();
        }

        float[] pixels = new float[3 * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = resized.getRGB(x, y);
                int[] channels = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
                for (int c = 0; c < 3; c++) {
                    float value = channels[c] / 255f;
                    pixels[(c * size + y) * size + x] = (value - ClipModel.IMAGE_MEAN[c]) / ClipModel.IMAGE_STD[c];
                }
            }
        }
        return pixels;
    }

    /**
     * Averages the patch features whose patch centres lie inside the box (RoI average pooling). A box
     * smaller than one patch takes the patch under its centre.
     *
     * @param patches {@code [grid * grid][dim]} in row-major grid order
     */
    static float[] roiPool(float[][] patches, int grid, Detection box, int frameWidth, int frameHeight) {
        double cellWidth = (double) frameWidth / grid;
        double cellHeight = (double) frameHeight / grid;
        float[] sum = new float[patches[0].length];
        int count = 0;
        for (int row = 0; row < grid; row++) {
            double centreY = (row + 0.5) * cellHeight;
            if (centreY < box.y() || centreY > box.y() + box.height()) {
                continue;
            }
            for (int column = 0; column < grid; column++) {
                double centreX = (column + 0.5) * cellWidth;
                if (centreX >= box.x() && centreX <= box.x() + box.width()) {
                    add(sum, patches[row * grid + column]);
                    count++;
                }
            }
        }
        if (count == 0) {
            int column = clamp((int) ((box.x() + box.width() / 2) / cellWidth), grid);
            int row = clamp((int) ((box.y() + box.height() / 2) / cellHeight), grid);
            return patches[row * grid + column].clone();
        }
        for (int d = 0; d < sum.length; d++) {
            sum[d] /= count;
        }
        return sum;
    }

    private static void add(float[] sum, float[] values) {
        for (int d = 0; d < sum.length; d++) {
            sum[d] += values[d];
        }
    }

    private static int clamp(int index, int grid) {
        return Math.max(0, Math.min(grid - 1, index));
    }
}
