package dev.mlsuite.vision.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class FaceCascadePersonDetectorTest {

    /** The right arm wrestler on frame 0 of the AVA clip, drawn by hand (see samples/videos/ava_clip.persons.json). */
    private static final Detection RIGHT_WRESTLER_FRAME_0 = new Detection(150, 35, 190, 210, 1);

    private final FaceCascadePersonDetector detector = new FaceCascadePersonDetector(FaceCascadeSettings.defaults());

    @Test
    void extrapolatesBodyFromFace() {
        FaceCascadeSettings settings = FaceCascadeSettings.defaults();

        Detection person = settings.personBoxOf(new Detection(100, 50, 20, 30, 7));

        assertThat(person.width()).isEqualTo(20 * settings.bodyWidthFaces());
        assertThat(person.height()).isEqualTo(30 * settings.bodyHeightFaces());
        assertThat(person.x() + person.width() / 2).isEqualTo(110);
        assertThat(person.y()).isEqualTo(50 - 30 * settings.headroomFaces());
        assertThat(person.score()).isEqualTo(7);
    }

    @Test
    void findsSeatedPersonOnAvaFrame() {
        VideoFrame frame = HogPersonDetectorTest.frameOfAvaClip(0);

        List<Detection> detections = detector.detect(frame);

        assertThat(detections).anySatisfy(box -> assertThat(box.iou(RIGHT_WRESTLER_FRAME_0)).isGreaterThan(0.3));
        for (Detection box : detections) {
            assertThat(box.x() + box.width()).isLessThanOrEqualTo(340);
            assertThat(box.y() + box.height()).isLessThanOrEqualTo(256);
        }
    }

    @Test
    void findsNobodyOnUniformFrame() {
        byte[] gray = new byte[340 * 256 * 3];
        Arrays.fill(gray, (byte) 128);

        assertThat(detector.detect(new VideoFrame(0, 0, 340, 256, gray))).isEmpty();
    }

    @Test
    void combinedDetectorPrefersFirstDetectorOnOverlap() {
        PersonDetector first = new FixedBoxes("first", List.of(new Detection(0, 0, 100, 100, 1)));
        PersonDetector second = new FixedBoxes("second",
                List.of(new Detection(5, 5, 100, 100, 50), new Detection(200, 0, 50, 50, 40)));

        List<Detection> kept = new CombinedPersonDetector(List.of(first, second), 0.4).detect(null);

        assertThat(kept).containsExactly(new Detection(0, 0, 100, 100, 1), new Detection(200, 0, 50, 50, 40));
    }

    /** A detector that returns the same boxes for every frame. */
    private record FixedBoxes(String name, List<Detection> boxes) implements PersonDetector {

        @Override
        public List<Detection> detect(VideoFrame frame) {
            return boxes;
        }

        @Override
        public String scoreDescription() {
            return "fixed";
        }
    }
}
