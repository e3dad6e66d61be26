package dev.mlsuite.vision.action;

/**
 * Stream properties that FFmpeg reports when a video is opened.
 *
 * @param container        FFmpeg's name of the demuxer, e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}
 * @param codec            name of the video codec, e.g. {@code h264}
 * @param width            frame width in pixels
 * @param height           frame height in pixels
 * @param frameRate        nominal frames per second of the video stream
 * @param durationSeconds  container duration in seconds, or 0 when the container does not state it
 * @param frameCount       frame count the container states; an estimate that can differ from the decoded count
 */
public record VideoInfo(String container, String codec, int width, int height, double frameRate,
        double durationSeconds, int frameCount) {
}
