package dev.mlsuite.vision.action.evaluation;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import javax.imageio.ImageIO;

import dev.mlsuite.vision.action.VideoDecoder;
import dev.mlsuite.vision.action.VideoFrame;
import dev.mlsuite.vision.action.VideoLimits;
import dev.mlsuite.vision.action.VideoReader;

/**
 * Writes chosen frames of a video as PNG images enlarged by {@value #ZOOM}, with a coordinate
 * grid in original-frame pixels, so that person boxes can be read off by eye for annotation.
 */
final class AnnotationFrames {

    static final int ZOOM = 3;
    private static final int GRID_STEP = 10;
    private static final int LABEL_STEP = 50;

    private AnnotationFrames() {
    }

    static void write(Path video, Set<Integer> frameIndices, Path outputDirectory) throws IOException {
        Files.createDirectories(outputDirectory);
        VideoDecoder decoder = new VideoDecoder(VideoLimits.defaults());
        try (VideoReader reader = decoder.open(video, 1000)) {
            VideoFrame frame;
            while ((frame = reader.nextSample()) != null) {
                if (frameIndices.contains(frame.frameIndex())) {
                    Path file = outputDirectory.resolve(String.format("frame_%04d_grid.png", frame.frameIndex()));
                    ImageIO.write(withGrid(frame.toBufferedImage()), "png", file.toFile());
                }
            }
        }
    }

    private static BufferedImage withGrid(BufferedImage frame) {
        int width = frame.getWidth() * ZOOM;
        int height = frame.getHeight() * ZOOM;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.drawImage(frame, 0, 0, width, height, null);
            graphics.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));

            for (int position = 0; position <= Math.max(frame.getWidth(), frame.getHeight()); position += GRID_STEP) {
                boolean major = position % LABEL_STEP == 0;
                graphics.setColor(major ? new Color(255, 255, 0, 200) : new Color(0, 255, 255, 90));
                graphics.setStroke(new BasicStroke(major ? 2f : 1f));
                if (position <= frame.getWidth()) {
                    graphics.drawLine(position * ZOOM, 0, position * ZOOM, height);
                }
                if (position <= frame.getHeight()) {
                    graphics.drawLine(0, position * ZOOM, width, position * ZOOM);
                }
                if (major) {
                    graphics.setColor(Color.YELLOW);
                    graphics.drawString(Integer.toString(position), position * ZOOM + 3, 16);
                    graphics.drawString(Integer.toString(position), 3, position * ZOOM + 16);
                }
            }
        } finally {
            graphics.dispose();
        }
        return image;
    }
}
