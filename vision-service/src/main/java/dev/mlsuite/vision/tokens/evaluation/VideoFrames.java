package dev.mlsuite.vision.tokens.evaluation;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

import dev.mlsuite.vision.tokens.RgbImage;

/** Decodes frames at evenly spaced positions of a video with FFmpeg through JavaCV. */
final class VideoFrames {

    private VideoFrames() {
    }

    /**
     * Returns {@code count} frames at fractions {@code (i + 1) / (count + 1)} of the video's
     * length, so the first and last frames, often fades, are skipped.
     */
    static List<RgbImage> evenlySpaced(Path video, int count) throws IOException {
        List<RgbImage> frames = new ArrayList<>(count);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile());
                Java2DFrameConverter converter = new Java2DFrameConverter()) {
            grabber.start();
            int length = grabber.getLengthInVideoFrames();
            if (length <= 0) {
                throw new IOException("No video frames in " + video);
            }
            for (int i = 0; i < count; i++) {
                grabber.setVideoFrameNumber((int) ((long) length * (i + 1) / (count + 1)));
                Frame frame = grabber.grabImage();
                if (frame == null) {
                    throw new IOException("Failed to decode frame " + (i + 1) + " of " + count + " in " + video);
                }
                BufferedImage image = converter.convert(frame);
                frames.add(RgbImage.fromBufferedImage(image));
            }
            grabber.stop();
        }
        return frames;
    }
}
