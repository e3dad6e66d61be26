package dev.mlsuite.vision.action;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * One decoded frame in packed BGR order (three bytes per pixel, rows without padding).
 *
 * @param frameIndex  position of the frame among all decoded frames of the video, from 0
 * @param timeSeconds presentation time of the frame
 * @param width       width in pixels
 * @param height      height in pixels
 * @param bgr         pixels, {@code [height][width][3]} flattened, blue first
 */
public record VideoFrame(int frameIndex, double timeSeconds, int width, int height, byte[] bgr) {

    public VideoFrame {
        if (bgr.length != width * height * 3) {
            throw new IllegalArgumentException("Expected " + width * height * 3 + " BGR bytes for " + width + "x"
                    + height + ", got " + bgr.length);
        }
    }

    /** Copies the pixels into a new {@link BufferedImage#TYPE_3BYTE_BGR} image. */
    public BufferedImage toBufferedImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(bgr, 0, target, 0, bgr.length);
        return image;
    }
}
