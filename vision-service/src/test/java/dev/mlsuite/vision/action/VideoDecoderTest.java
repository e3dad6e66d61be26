package dev.mlsuite.vision.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;

import dev.mlsuite.platform.web.ApiException;

class VideoDecoderTest {

    private final VideoDecoder decoder = new VideoDecoder(VideoLimits.defaults());

    @TempDir
    Path temp;

    @Test
    void readsStreamPropertiesOfAvaClip() {
        try (VideoReader reader = decoder.open(SampleVideos.avaClip(), 2)) {
            VideoInfo info = reader.info();

            assertThat(info.codec()).isEqualTo("h264");
            assertThat(info.width()).isEqualTo(340);
            assertThat(info.height()).isEqualTo(256);
            assertThat(info.frameRate()).isEqualTo(6.0);
            assertThat(info.durationSeconds()).isEqualTo(9.5);
            assertThat(info.frameCount()).isEqualTo(57);
        }
    }

    @Test
    void decodesEveryFrameWhenRateExceedsFrameRate() {
        List<VideoFrame> frames = readAll(SampleVideos.avaClip(), 30);

        assertThat(frames).hasSize(57);
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.get(i).frameIndex()).isEqualTo(i);
            assertThat(frames.get(i).timeSeconds()).isCloseTo(i / 6.0, org.assertj.core.data.Offset.offset(0.01));
        }
    }

    @Test
    void samplesTwoFramesPerSecond() {
        List<VideoFrame> frames = readAll(SampleVideos.avaClip(), 2);

        // 6 fps sampled at 2 fps keeps every third frame: 0, 3, ..., 54.
        assertThat(frames).hasSize(19);
        assertThat(frames).extracting(VideoFrame::frameIndex)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 19).map(i -> 3 * i).boxed().toList());
    }

    @Test
    void framesContainImageContent() {
        VideoFrame first = readAll(SampleVideos.avaClip(), 1).get(0);

        assertThat(first.bgr()).hasSize(340 * 256 * 3);
        long sum = 0;
        int distinct = 0;
        boolean[] seen = new boolean[256];
        for (byte value : first.bgr()) {
            int unsigned = value & 0xff;
            sum += unsigned;
            if (!seen[unsigned]) {
                seen[unsigned] = true;
                distinct++;
            }
        }
        double mean = (double) sum / first.bgr().length;
        assertThat(mean).isBetween(20.0, 235.0);
        assertThat(distinct).isGreaterThan(100);
    }

    @Test
    void randomBytesAreUnsupportedMediaType() throws IOException {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        Path file = Files.write(temp.resolve("noise.mp4"), noise);

        assertThatThrownBy(() -> decoder.open(file, 2))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
                    assertThat(e.kind()).isEqualTo("unsupported-video");
                });
    }

    @Test
    void stillImagesAreUnsupported() throws IOException {
        for (String format : List.of("jpg", "png")) {
            Path file = temp.resolve("still." + format);
            BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
            assertThat(ImageIO.write(image, format, file.toFile())).isTrue();

            assertThatThrownBy(() -> decoder.open(file, 2))
                    .as(format)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
                        assertThat(e.kind()).isEqualTo("unsupported-video");
                        assertThat(e.getMessage()).contains("still image");
                        assertThat(e.value().toString()).matches("image2|.*_pipe");
                        assertThat(e.hint()).contains("video container");
                    });
        }
    }

    @Test
    void stillImageFormatsAreRecognised() {
        assertThat(VideoDecoder.isStillImageFormat("jpeg_pipe")).isTrue();
        assertThat(VideoDecoder.isStillImageFormat("image2")).isTrue();
        assertThat(VideoDecoder.isStillImageFormat("mov,mp4,m4a,3gp,3g2,mj2")).isFalse();
        assertThat(VideoDecoder.isStillImageFormat("gif")).isFalse();
        assertThat(VideoDecoder.isStillImageFormat(null)).isFalse();
    }

    @Test
    void undecodableFramesAreBadRequest() throws IOException {
        Path file = SampleVideos.avaClipWithZeroedFrames(temp);

        try (VideoReader reader = decoder.open(file, 2)) {
            assertThatThrownBy(reader::nextSample)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                        assertThat(e.kind()).isEqualTo("corrupt-video");
                    });
        }
    }

    @Test
    void emptyFileIsBadRequest() throws IOException {
        Path file = Files.write(temp.resolve("empty.mp4"), new byte[0]);

        assertThatThrownBy(() -> decoder.open(file, 2))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.kind()).isEqualTo("empty-video"));
    }

    @Test
    void rejectsFileOverByteLimit() {
        VideoDecoder strict = new VideoDecoder(new VideoLimits(100_000, 120, 1920, 1080, 600));

        assertThatThrownBy(() -> strict.open(SampleVideos.avaClip(), 2))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
                    assertThat(e.value()).isEqualTo(331_376L);
                });
    }

    @Test
    void rejectsResolutionOverLimit() {
        VideoDecoder strict = new VideoDecoder(new VideoLimits(1_000_000, 120, 320, 1080, 600));

        assertThatThrownBy(() -> strict.open(SampleVideos.avaClip(), 2))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
                    assertThat(e.value()).isEqualTo("340x256");
                });
    }

    @Test
    void rejectsDurationOverLimit() {
        VideoDecoder strict = new VideoDecoder(new VideoLimits(1_000_000, 5, 1920, 1080, 600));

        assertThatThrownBy(() -> strict.open(SampleVideos.avaClip(), 2))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
                    assertThat(e.value()).isEqualTo(9.5);
                });
    }

    @Test
    void rejectsSamplingOverFrameLimit() {
        VideoDecoder strict = new VideoDecoder(new VideoLimits(1_000_000, 120, 1920, 1080, 10));

        assertThatThrownBy(() -> strict.open(SampleVideos.avaClip(), 2))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.value()).isEqualTo(2.0));
    }

    @Test
    void rejectsNonPositiveSampleRate() {
        assertThatThrownBy(() -> decoder.open(SampleVideos.avaClip(), 0))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.kind()).isEqualTo("invalid-parameter"));
    }

    private List<VideoFrame> readAll(Path file, double sampleFps) {
        List<VideoFrame> frames = new ArrayList<>();
        try (VideoReader reader = decoder.open(file, sampleFps)) {
            VideoFrame frame;
            while ((frame = reader.nextSample()) != null) {
                frames.add(frame);
            }
        }
        return frames;
    }
}
