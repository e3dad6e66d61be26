package dev.mlsuite.vision.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SortTrackerTest {

    private static final double FRAME_SECONDS = 0.5;

    /** Person A walks right by 6 px per frame; person B does not move, far to the right. */
    private static Detection personA(int frame) {
        return new Detection(20 + 6 * frame, 40, 40, 100, 1.5);
    }

    private static Detection personB(int frame) {
        return new Detection(250, 30, 45, 110, 1.2);
    }

    @Test
    void keepsIdAcrossShortGap() {
        SortTracker tracker = new SortTracker(new TrackerSettings(0.3, 3, 3));

        for (int frame = 0; frame < 12; frame++) {
            List<Detection> detections = new ArrayList<>();
            boolean aHidden = frame == 5 || frame == 6;
            if (!aHidden) {
                detections.add(personA(frame));
            }
            detections.add(personB(frame));
            tracker.update(frame * 3, frame * FRAME_SECONDS, detections);
        }
        List<PersonTube> tubes = tracker.finish();

        assertThat(tubes).hasSize(2);
        PersonTube a = tubes.stream().filter(tube -> tube.boxes().get(0).box().x() < 100).findFirst().orElseThrow();
        assertThat(a.boxes()).hasSize(12);
        assertThat(a.detectedCount()).isEqualTo(10);
        assertThat(a.boxes()).extracting(TubeBox::frameIndex)
                .containsExactly(0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33);
        assertThat(a.boxes().get(5).interpolated()).isTrue();
        assertThat(a.boxes().get(6).interpolated()).isTrue();
        assertThat(a.boxes().get(4).interpolated()).isFalse();
    }

    @Test
    void interpolatesBoxesInGapLinearly() {
        SortTracker tracker = new SortTracker(new TrackerSettings(0.3, 3, 3));

        for (int frame = 0; frame < 10; frame++) {
            List<Detection> detections = frame == 4 || frame == 5 ? List.of() : List.of(personA(frame));
            tracker.update(frame, frame * FRAME_SECONDS, detections);
        }
        PersonTube tube = tracker.finish().get(0);

        Detection bridged = tube.boxes().get(4).box();
        assertThat(bridged.x()).isCloseTo(personA(4).x(), within(1e-9));
        assertThat(bridged.y()).isCloseTo(40, within(1e-9));
        assertThat(bridged.width()).isCloseTo(40, within(1e-9));
        assertThat(bridged.height()).isCloseTo(100, within(1e-9));
        assertThat(bridged.score()).isZero();
        assertThat(tube.boxes().get(5).box().x()).isCloseTo(personA(5).x(), within(1e-9));
    }

    @Test
    void dropsTracksWithTooFewDetections() {
        SortTracker tracker = new SortTracker(new TrackerSettings(0.3, 3, 3));

        for (int frame = 0; frame < 8; frame++) {
            List<Detection> detections = new ArrayList<>();
            detections.add(personB(frame));
            if (frame == 2 || frame == 3) {
                detections.add(new Detection(10, 150, 30, 60, 0.4));
            }
            tracker.update(frame, frame * FRAME_SECONDS, detections);
        }
        List<PersonTube> tubes = tracker.finish();

        assertThat(tubes).hasSize(1);
        assertThat(tubes.get(0).trackId()).isEqualTo(1);
        assertThat(tubes.get(0).boxes().get(0).box().x()).isEqualTo(250.0);
        assertThat(tubes.get(0).boxes()).hasSize(8);
    }

    @Test
    void splitsTrackWhenGapExceedsLimit() {
        SortTracker tracker = new SortTracker(new TrackerSettings(0.3, 1, 2));

        for (int frame = 0; frame < 10; frame++) {
            List<Detection> detections = frame >= 4 && frame <= 6 ? List.of() : List.of(personB(frame));
            tracker.update(frame, frame * FRAME_SECONDS, detections);
        }
        List<PersonTube> tubes = tracker.finish();

        assertThat(tubes).hasSize(2);
        assertThat(tubes.get(0).boxes()).extracting(TubeBox::frameIndex).containsExactly(0, 1, 2, 3);
        assertThat(tubes.get(1).boxes()).extracting(TubeBox::frameIndex).containsExactly(7, 8, 9);
        assertThat(tubes.get(1).trackId()).isEqualTo(2);
    }

    @Test
    void predictsMovingPersonAcrossGap() {
        // The person moves 12 px per frame and is hidden for 3 frames. When it reappears it is 48 px
        // from its last detection, so a 40 px wide box no longer overlaps it. Only the
        // constant-velocity prediction of the Kalman filter can match it to the same track.
        SortTracker tracker = new SortTracker(new TrackerSettings(0.3, 3, 3));

        for (int frame = 0; frame < 14; frame++) {
            boolean hidden = frame >= 6 && frame <= 8;
            List<Detection> detections = hidden ? List.of() : List.of(new Detection(10 + 12 * frame, 50, 40, 100, 1.0));
            tracker.update(frame, frame * FRAME_SECONDS, detections);
        }
        List<PersonTube> tubes = tracker.finish();

        assertThat(new Detection(10 + 12 * 5, 50, 40, 100, 1).iou(new Detection(10 + 12 * 9, 50, 40, 100, 1))).isZero();
        assertThat(tubes).hasSize(1);
        assertThat(tubes.get(0).boxes()).hasSize(14);
        assertThat(tubes.get(0).detectedCount()).isEqualTo(11);
    }

    @Test
    void emptyVideoYieldsNoTubes() {
        SortTracker tracker = new SortTracker(TrackerSettings.defaults());

        tracker.update(0, 0, List.of());

        assertThat(tracker.finish()).isEmpty();
    }
}
