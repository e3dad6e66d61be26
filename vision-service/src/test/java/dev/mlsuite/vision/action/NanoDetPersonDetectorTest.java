package dev.mlsuite.vision.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.mlsuite.inference.engine.DeviceSetting;
import dev.mlsuite.inference.engine.EngineSettings;
import dev.mlsuite.inference.engine.InferenceEngine;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NanoDet on frames of the AVA clip, with the model files the service ships. */
class NanoDetPersonDetectorTest {

    static final Path MODEL = Path.of("..", "models", "person-detector", "nanodet.json");

    /** The arm wrestlers on frame 0 of the AVA clip, drawn by hand (see samples/videos/ava_clip.persons.json). */
    private static final Detection LEFT_WRESTLER_FRAME_0 = new Detection(0, 0, 182, 256, 1);
    private static final Detection RIGHT_WRESTLER_FRAME_0 = new Detection(150, 35, 190, 210, 1);

    private static NDManager manager;
    private static NanoDetPersonDetector detector;

    @BeforeAll
    static void loadDetector() {
        manager = InferenceEngine.start(EngineSettings.defaults().withDevice(DeviceSetting.CPU).withThreads(1, 1))
                .newManager();
        detector = new NanoDetPersonDetector(NanoDetSettings.defaults().withModelPath(MODEL), manager);
    }

    @AfterAll
    static void close() {
        detector.close();
        manager.close();
    }

    @Test
    void findsBothWrestlersOnAvaFrame() {
        VideoFrame frame = HogPersonDetectorTest.frameOfAvaClip(0);

        List<Detection> detections = detector.detect(frame);

        assertThat(detections).anySatisfy(box -> assertThat(box.iou(LEFT_WRESTLER_FRAME_0)).isGreaterThan(0.5));
        assertThat(detections).anySatisfy(box -> assertThat(box.iou(RIGHT_WRESTLER_FRAME_0)).isGreaterThan(0.5));
        for (Detection box : detections) {
            assertThat(box.score()).isBetween(NanoDetSettings.DEFAULT_SCORE_THRESHOLD, 1.0);
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
    void expectedBinIsSoftmaxWeightedMean() {
        // Logits ln 1, ln 3 over bins 0 and 1: probabilities 0.25 and 0.75, mean 0.75.
        float[] logits = {9, 0, (float) Math.log(3), 9};

        assertThat(NanoDetPersonDetector.expectedBin(logits, 1, 2)).isCloseTo(0.75, within(1e-6));
    }

    @Test
    void missingModelNamesTheSetting() {
        NanoDetSettings settings = NanoDetSettings.defaults().withModelPath(Path.of("no-such-folder", "nanodet.json"));

        assertThatThrownBy(() -> new NanoDetPersonDetector(settings, manager))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-folder")
                .hasMessageContaining("vision.action.detector.nanodet.model-path");
    }

    @Test
    void inputSizeOtherThanTheModelsIsRejected() {
        NanoDetSettings settings = new NanoDetSettings(MODEL, 320, 0.35, 0.5);

        assertThatThrownBy(() -> new NanoDetPersonDetector(settings, manager))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not fit vision.action.detector.nanodet.input-size 320");
    }

    @Test
    void settingsRejectInvalidValues() {
        assertThatThrownBy(() -> new NanoDetSettings(MODEL, 400, 0.35, 0.5)).hasMessageContaining("multiple of 32");
        assertThatThrownBy(() -> new NanoDetSettings(MODEL, 416, 1.5, 0.5)).hasMessageContaining("1.5");
        assertThatThrownBy(() -> new NanoDetSettings(MODEL, 416, 0.35, 0)).hasMessageContaining("nmsIouThreshold");
    }
}
