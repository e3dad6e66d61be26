package dev.mlsuite.vision.action;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Links per-frame person detections into tubes, SORT-style: each track's box is predicted by a
 * constant-velocity Kalman filter, predictions are matched to detections by maximum total IoU
 * (Hungarian assignment), and unmatched detections start new tracks. A track ends after more than
 * {@link TrackerSettings#maxMissedFrames()} sampled frames without a match.
 *
 * <p>Feed frames in time order with {@link #update}, then call {@link #finish}. Not thread-safe:
 * use one tracker per video.
 */
public final class SortTracker {

    private final TrackerSettings settings;
    private final List<Track> active = new ArrayList<>();
    private final List<Track> ended = new ArrayList<>();
    private int nextTrackId = 1;

    public SortTracker(TrackerSettings settings) {
        this.settings = settings;
    }

    /** Adds the detections of the next sampled frame. */
    public void update(int frameIndex, double timeSeconds, List<Detection> detections) {
        List<Detection> predictions = new ArrayList<>(active.size());
        for (Track track : active) {
            predictions.add(track.filter.predict());
        }

        int[] detectionOfTrack = match(predictions, detections);

        boolean[] detectionUsed = new boolean[detections.size()];
        List<Track> stillActive = new ArrayList<>();
        for (int t = 0; t < active.size(); t++) {
            Track track = active.get(t);
            int d = detectionOfTrack[t];
            if (d >= 0) {
                detectionUsed[d] = true;
                track.observe(frameIndex, timeSeconds, detections.get(d));
                stillActive.add(track);
            } else if (++track.missedFrames > settings.maxMissedFrames()) {
                ended.add(track);
            } else {
                track.skippedFrames.add(new SampledFrame(frameIndex, timeSeconds));
                stillActive.add(track);
            }
        }

        for (int d = 0; d < detections.size(); d++) {
            if (!detectionUsed[d]) {
                Track track = new Track(nextTrackId++, detections.get(d));
                track.observe(frameIndex, timeSeconds, detections.get(d));
                stillActive.add(track);
            }
        }
        active.clear();
        active.addAll(stillActive);
    }

    /**
     * Ends all tracks and returns the tubes of those with at least
     * {@link TrackerSettings#minDetections()} detected boxes, renumbered from 1 by first appearance.
     */
    public List<PersonTube> finish() {
        List<Track> all = new ArrayList<>(ended);
        all.addAll(active);
        all.sort(Comparator.comparingInt((Track track) -> track.boxes.get(0).frameIndex())
                .thenComparingInt(track -> track.id));

        List<PersonTube> tubes = new ArrayList<>();
        for (Track track : all) {
            if (track.detectedCount >= settings.minDetections()) {
                tubes.add(new PersonTube(tubes.size() + 1, track.boxes));
            }
        }
        return tubes;
    }

    /** Returns, for each prediction, the index of its matched detection or -1. */
    private int[] match(List<Detection> predictions, List<Detection> detections) {
        double[][] cost = new double[predictions.size()][detections.size()];
        for (int t = 0; t < predictions.size(); t++) {
            for (int d = 0; d < detections.size(); d++) {
                cost[t][d] = 1 - predictions.get(t).iou(detections.get(d));
            }
        }
        int[] assignment = HungarianAssignment.solve(cost);
        for (int t = 0; t < assignment.length; t++) {
            if (assignment[t] >= 0 && 1 - cost[t][assignment[t]] < settings.iouThreshold()) {
                assignment[t] = -1;
            }
        }
        return assignment;
    }

    private record SampledFrame(int frameIndex, double timeSeconds) {
    }

    private static final class Track {

        final int id;
        final KalmanBoxFilter filter;
        final List<TubeBox> boxes = new ArrayList<>();

        /** Frames missed since the last detection; boxes are added for them only if the person is found again. */
        final List<SampledFrame> skippedFrames = new ArrayList<>();
        int missedFrames;
        int detectedCount;

        Track(int id, Detection first) {
            this.id = id;
            this.filter = new KalmanBoxFilter(first);
        }

        void observe(int frameIndex, double timeSeconds, Detection detection) {
            if (!boxes.isEmpty() && !skippedFrames.isEmpty()) {
                bridgeGap(boxes.get(boxes.size() - 1), detection, timeSeconds);
            }
            if (detectedCount > 0) {
                filter.update(detection);
            }
            boxes.add(new TubeBox(frameIndex, timeSeconds, detection, false));
            skippedFrames.clear();
            missedFrames = 0;
            detectedCount++;
        }

        /** Adds boxes for the skipped frames, interpolated linearly in time between the detections around the gap. */
        private void bridgeGap(TubeBox before, Detection after, double afterSeconds) {
            double span = afterSeconds - before.timeSeconds();
            for (SampledFrame skipped : skippedFrames) {
                double t = span > 0 ? (skipped.timeSeconds() - before.timeSeconds()) / span : 0.5;
                Detection start = before.box();
                Detection box = new Detection(
                        start.x() + t * (after.x() - start.x()),
                        start.y() + t * (after.y() - start.y()),
                        start.width() + t * (after.width() - start.width()),
                        start.height() + t * (after.height() - start.height()),
                        0);
                boxes.add(new TubeBox(skipped.frameIndex(), skipped.timeSeconds(), box, true));
            }
        }
    }
}
