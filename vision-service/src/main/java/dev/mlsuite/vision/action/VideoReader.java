package dev.mlsuite.vision.action;

import java.nio.ByteBuffer;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Sequential reader of the sampled frames of one open video. It is not thread-safe. Closing it
 * frees FFmpeg's native memory.
 */
public final class VideoReader implements AutoCloseable {

    private final FFmpegFrameGrabber grabber;
    private final VideoInfo info;
    private final double sampleIntervalSeconds;
    private final VideoLimits limits;

    /** Half a frame period: frames this close before the next sample time still count as on time. */
    private final double toleranceSeconds;

    private double nextSampleSeconds;
    private int decodedFrames;
    private int sampledFrames;
    private double lastDecodedSeconds;

    VideoReader(FFmpegFrameGrabber grabber, VideoInfo info, double sampleFps, VideoLimits limits) {
        this.grabber = grabber;
        this.info = info;
        this.sampleIntervalSeconds = 1.0 / sampleFps;
        this.limits = limits;
        this.toleranceSeconds = info.frameRate() > 0 ? 0.5 / info.frameRate() : 0;
    }

    public VideoInfo info() {
        return info;
    }

    /** Number of frames decoded so far, sampled or not. */
    public int decodedFrames() {
        return decodedFrames;
    }

    /** Presentation time of the last decoded frame in seconds, 0 before the first. */
    public double lastDecodedSeconds() {
        return lastDecodedSeconds;
    }

    /**
     * Decodes up to the next frame due for sampling and returns it, or {@code null} at the end
     * of the stream.
     *
     * @throws dev.mlsuite.platform.web.ApiException when decoding fails, the stream ends without
     *     any decodable frame, or the decoded stream runs past a limit
     */
    public VideoFrame nextSample() {
        while (true) {
            Frame frame = grabFrame();
            if (frame == null) {
                if (decodedFrames == 0) {
                    throw VideoDecoder.corrupt("The video stream contains no decodable frame", info.codec());
                }
                return null;
            }

            int frameIndex = decodedFrames++;
            double timeSeconds = frame.timestamp / 1_000_000.0;
            lastDecodedSeconds = timeSeconds;
            if (timeSeconds > limits.maxDurationSeconds()) {
                throw VideoDecoder.durationTooLong(timeSeconds, limits);
            }
            if (timeSeconds + toleranceSeconds < nextSampleSeconds) {
                continue;
            }

            while (nextSampleSeconds <= timeSeconds + toleranceSeconds) {
                nextSampleSeconds += sampleIntervalSeconds;
            }
            if (++sampledFrames > limits.maxSampledFrames()) {
                throw VideoDecoder.tooManySamples(sampledFrames, 1.0 / sampleIntervalSeconds, limits);
            }
            return new VideoFrame(frameIndex, timeSeconds, frame.imageWidth, frame.imageHeight, packedBgr(frame));
        }
    }

    private Frame grabFrame() {
        try {
            return grabber.grabImage();
        } catch (FrameGrabber.Exception e) {
            throw VideoDecoder.corrupt("FFmpeg failed to decode frame " + decodedFrames + ": " + e.getMessage(),
                    decodedFrames);
        }
    }

    /** Copies the grabber's BGR24 image, whose rows may be padded to {@code imageStride}, into a packed array. */
    private static byte[] packedBgr(Frame frame) {
        int rowBytes = frame.imageWidth * 3;
        byte[] packed = new byte[rowBytes * frame.imageHeight];
        ByteBuffer source = ((ByteBuffer) frame.image[0]).duplicate();
        for (int y = 0; y < frame.imageHeight; y++) {
            source.position(y * frame.imageStride);
            source.get(packed, y * rowBytes, rowBytes);
        }
        return packed;
    }

    @Override
    public void close() {
        VideoDecoder.closeQuietly(grabber);
    }
}
