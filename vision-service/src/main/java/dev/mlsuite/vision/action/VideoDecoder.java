package dev.mlsuite.vision.action;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegLogCallback;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import dev.mlsuite.platform.web.ApiException;

/**
 * Opens video files with FFmpeg (through JavaCV's {@link FFmpegFrameGrabber}) and checks them
 * against {@link VideoLimits}. Files FFmpeg cannot open are rejected with 415, files that open
 * but yield no decodable frame with 400, files over a limit with 413.
 */
public final class VideoDecoder {

    private static final Logger log = LoggerFactory.getLogger(VideoDecoder.class);

    static {
        // FFmpeg logs one error per damaged packet, so only fatal messages go to SLF4J. Decoding
        // failures reach the caller as ApiException messages instead.
        System.setProperty("org.bytedeco.javacpp.logger", "slf4j");
        FFmpegLogCallback.setLevel(avutil.AV_LOG_FATAL);
        FFmpegLogCallback.set();
    }

    private final VideoLimits limits;

    /**
     * Creates a decoder and loads FFmpeg's native libraries, so that a missing library fails here
     * (at start-up in the service) rather than on the first upload.
     *
     * @throws IllegalStateException when the FFmpeg natives for this platform cannot be loaded
     */
    public VideoDecoder(VideoLimits limits) {
        this.limits = limits;
        loadNativeLibraries();
    }

    private static void loadNativeLibraries() {
        try {
            Loader.load(avformat.class);
            Loader.load(avcodec.class);
            Loader.load(swscale.class);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("Failed to load the FFmpeg native libraries for "
                    + Loader.getPlatform() + "; the jar org.bytedeco:ffmpeg with classifier " + Loader.getPlatform()
                    + " must be on the class path", e);
        }
    }

    public VideoLimits limits() {
        return limits;
    }

    /**
     * Opens {@code file} for sampling at {@code sampleFps} frames per second of video time.
     * A rate at or above the stream's frame rate samples every frame.
     *
     * @throws ApiException when the file exceeds a limit, is not a video FFmpeg can read, or has no video stream
     */
    public VideoReader open(Path file, double sampleFps) {
        return open(file, file.getFileName().toString(), sampleFps);
    }

    /**
     * Opens {@code file} like {@link #open(Path, double)}; problem details name it {@code displayName},
     * for example the file name the client uploaded instead of a temporary file.
     */
    public VideoReader open(Path file, String displayName, double sampleFps) {
        if (!(sampleFps > 0) || Double.isInfinite(sampleFps)) {
            throw ApiException.badRequest("invalid-parameter", "sampleFps must be a positive number of frames per second",
                    sampleFps, "Send a sampleFps such as 2 (two frames per second of video).");
        }
        checkFileSize(file);

        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        try {
            grabber.start();
        } catch (FrameGrabber.Exception e) {
            closeQuietly(grabber);
            log.info("FFmpeg failed to open {}: {}", displayName, e.getMessage());
            String container = recognisedContainer(file);
            if (container != null) {
                throw damagedContainer(container, displayName);
            }
            throw unsupported("FFmpeg could not open the upload as a video container", displayName);
        }

        try {
            VideoInfo info = describe(grabber);
            checkInfo(info, sampleFps);
            return new VideoReader(grabber, info, sampleFps, limits);
        } catch (RuntimeException e) {
            closeQuietly(grabber);
            throw e;
        }
    }

    private void checkFileSize(Path file) {
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the size of " + file, e);
        }
        if (bytes == 0) {
            throw ApiException.badRequest("empty-video", "The uploaded video is empty", 0,
                    "Attach the video file as the multipart part 'video'.");
        }
        if (bytes > limits.maxFileBytes()) {
            throw ApiException.tooLarge("The video is " + bytes + " bytes, more than the limit of "
                    + limits.maxFileBytes() + " bytes", bytes,
                    "Send a shorter or more compressed clip, or raise vision.action.video.max-file-size.");
        }
    }

    private static VideoInfo describe(FFmpegFrameGrabber grabber) {
        if (isStillImageFormat(grabber.getFormat())) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-video", "Unsupported video",
                    "The upload is a still image (FFmpeg detected the format " + grabber.getFormat()
                            + "), not a video", grabber.getFormat(),
                    "Send a video container such as MP4, WebM or MKV. To analyse one image, wrap it in a short "
                            + "video first (for example ffmpeg -loop 1 -i image.jpg -t 1 image.mp4).");
        }
        if (grabber.getVideoStream() < 0 || grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
            throw unsupported("The file contains no video stream", grabber.getFormat());
        }
        double durationSeconds = Math.max(0, grabber.getLengthInTime()) / 1_000_000.0;
        return new VideoInfo(grabber.getFormat(), grabber.getVideoCodecName(), grabber.getImageWidth(),
                grabber.getImageHeight(), grabber.getFrameRate(), durationSeconds,
                Math.max(0, grabber.getLengthInVideoFrames()));
    }

    private void checkInfo(VideoInfo info, double sampleFps) {
        if (info.width() > limits.maxWidth() || info.height() > limits.maxHeight()) {
            throw ApiException.tooLarge("The video is " + info.width() + "x" + info.height()
                    + " pixels, larger than the limit of " + limits.maxWidth() + "x" + limits.maxHeight(),
                    info.width() + "x" + info.height(),
                    "Downscale the video, or raise vision.action.video.max-width and max-height.");
        }
        if (info.durationSeconds() > limits.maxDurationSeconds()) {
            throw durationTooLong(info.durationSeconds(), limits);
        }

        double effectiveRate = info.frameRate() > 0 ? Math.min(sampleFps, info.frameRate()) : sampleFps;
        long expectedSamples = (long) Math.ceil(info.durationSeconds() * effectiveRate);
        if (expectedSamples > limits.maxSampledFrames()) {
            throw tooManySamples(expectedSamples, sampleFps, limits);
        }
    }

    /**
     * Returns whether FFmpeg opened the file with one of its still-image demuxers: {@code image2} or a
     * {@code *_pipe} demuxer such as {@code jpeg_pipe}, {@code png_pipe} or {@code webp_pipe}. These
     * present a single picture as a one-frame video. Animated formats ({@code gif}, {@code apng}) have
     * their own demuxers and stay accepted.
     */
    static boolean isStillImageFormat(String format) {
        return format != null && (format.equals("image2") || format.endsWith("_pipe"));
    }

    static ApiException durationTooLong(double durationSeconds, VideoLimits limits) {
        return ApiException.tooLarge("The video lasts " + durationSeconds + " s, longer than the limit of "
                + limits.maxDurationSeconds() + " s", durationSeconds,
                "Cut the clip, or raise vision.action.video.max-duration.");
    }

    static ApiException tooManySamples(long samples, double sampleFps, VideoLimits limits) {
        return ApiException.tooLarge("Sampling at " + sampleFps + " frames per second yields " + samples
                + " frames, more than the limit of " + limits.maxSampledFrames(), sampleFps,
                "Lower sampleFps, send a shorter clip, or raise vision.action.video.max-sampled-frames.");
    }

    static ApiException unsupported(String detail, Object value) {
        return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-video", "Unsupported video", detail,
                value, "Send a video in a container and codec FFmpeg reads, such as MP4 with H.264.");
    }

    /**
     * Names the container that the first bytes of {@code file} announce: {@code MP4/MOV} for an
     * {@code ftyp} box at offset 4, {@code Matroska/WebM} for the EBML magic, {@code AVI} for a RIFF AVI
     * header. Returns {@code null} for anything else.
     */
    static String recognisedContainer(Path file) {
        byte[] header = new byte[12];
        int read;
        try (var in = Files.newInputStream(file)) {
            read = in.readNBytes(header, 0, header.length);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the header of " + file, e);
        }
        String ascii = new String(header, 0, read, StandardCharsets.ISO_8859_1);
        if (read >= 8 && ascii.startsWith("ftyp", 4)) {
            return "MP4/MOV";
        }
        if (read >= 4 && (header[0] & 0xff) == 0x1a && (header[1] & 0xff) == 0x45 && (header[2] & 0xff) == 0xdf
                && (header[3] & 0xff) == 0xa3) {
            return "Matroska/WebM";
        }
        if (read >= 12 && ascii.startsWith("RIFF") && ascii.startsWith("AVI ", 8)) {
            return "AVI";
        }
        return null;
    }

    /** Creates the problem for an upload that starts like a known container but that FFmpeg cannot open. */
    static ApiException damagedContainer(String container, Object value) {
        return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-video", "Unsupported video",
                "The upload starts like a " + container + " file, but FFmpeg could not open it; the file may be "
                        + "truncated or damaged (an MP4 whose index, the moov box at the end, is missing fails this way)",
                value, "Send the complete file: upload it again, or re-export it from the source. If it plays in a "
                        + "video player, re-encode it (for example with ffmpeg -i in.mp4 -c:v libx264 out.mp4).");
    }

    static ApiException corrupt(String detail, Object value) {
        return ApiException.badRequest("corrupt-video", detail, value,
                "Check that the file plays in a video player, or re-encode it (for example with ffmpeg -c:v libx264).");
    }

    static void closeQuietly(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (FrameGrabber.Exception e) {
            log.warn("FFmpeg grabber failed to close", e);
        }
    }
}
