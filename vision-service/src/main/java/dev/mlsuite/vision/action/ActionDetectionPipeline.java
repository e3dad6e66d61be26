package dev.mlsuite.vision.action;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Video in, person tubes out: decodes sampled frames, detects people on each, links the
 * detections into tubes and, when a scorer is active, scores action labels per tube.
 * Thread-safe as long as the detector and scorer are; each run uses its own decoder state and tracker.
 */
public final class ActionDetectionPipeline {

    private static final Logger log = LoggerFactory.getLogger(ActionDetectionPipeline.class);

    /** Share of the progress reported while decoding, detecting and tracking; scoring takes the rest. */
    private static final double DECODE_PROGRESS_SHARE = 0.9;

    private final VideoDecoder decoder;
    private final PersonDetector detector;
    private final TrackerSettings trackerSettings;
    private final ActionScorer scorer;

    public ActionDetectionPipeline(VideoDecoder decoder, PersonDetector detector, TrackerSettings trackerSettings,
            ActionScorer scorer) {
        this.decoder = decoder;
        this.detector = detector;
        this.trackerSettings = trackerSettings;
        this.scorer = scorer;
    }

    /** Reports which stages run, with their settings. */
    public Capabilities capabilities() {
        VideoLimits limits = decoder.limits();
        return new Capabilities(
                new Capability(true, "FFmpeg through JavaCV", "limits: " + limits.maxFileBytes() + " bytes, "
                        + limits.maxDurationSeconds() + " s, " + limits.maxWidth() + "x" + limits.maxHeight()
                        + " pixels, " + limits.maxSampledFrames() + " sampled frames"),
                new Capability(true, detector.name(), "score: " + detector.scoreDescription()),
                new Capability(true, "SORT: constant-velocity Kalman filter, Hungarian matching on IoU",
                        "iouThreshold " + trackerSettings.iouThreshold() + ", gaps of up to "
                                + trackerSettings.maxMissedFrames() + " sampled frames bridged, tracks with fewer than "
                                + trackerSettings.minDetections() + " detections dropped"),
                scorer.capability(), scorer.components());
    }

    /**
     * Runs the pipeline on {@code video}.
     *
     * @param progress receives the fraction done, 0 to 1; it may throw to cancel the run
     * @throws dev.mlsuite.platform.web.ApiException when the video is unreadable or over a limit
     */
    public ActionDetectionResult run(Path video, ActionDetectionRequest request, DoubleConsumer progress) {
        long start = System.nanoTime();
        boolean scoring = scorer.capability().active();
        SortTracker tracker = new SortTracker(trackerSettings);
        List<FrameDetections> detections = new ArrayList<>();
        List<VideoFrame> keptFrames = new ArrayList<>();
        List<VideoFrame> previewFrames = new ArrayList<>();
        VideoInfo info;
        int decodedFrames;
        double lastDecodedSeconds;

        try (VideoReader reader = decoder.open(video, request.sampleFps())) {
            info = reader.info();
            PreviewSelector previewSelector = new PreviewSelector(request, info.durationSeconds());
            VideoFrame frame;
            while ((frame = reader.nextSample()) != null) {
                List<Detection> people = detector.detect(frame);
                detections.add(new FrameDetections(frame.frameIndex(), frame.timeSeconds(), people));
                tracker.update(frame.frameIndex(), frame.timeSeconds(), people);

                if (scoring) {
                    keptFrames.add(frame);
                }
                if (previewSelector.wants(frame)) {
                    previewFrames.add(frame);
                }
                if (info.durationSeconds() > 0) {
                    progress.accept(DECODE_PROGRESS_SHARE * Math.min(1, frame.timeSeconds() / info.durationSeconds()));
                }
            }
            decodedFrames = reader.decodedFrames();
            lastDecodedSeconds = reader.lastDecodedSeconds();
        }
        List<PersonTube> tubes = tracker.finish();
        DecodeReport decoding = DecodeReport.of(info, decodedFrames, lastDecodedSeconds, tubes.size());
        progress.accept(DECODE_PROGRESS_SHARE);

        Map<Integer, List<ActionScore>> actions = new LinkedHashMap<>();
        if (scoring) {
            for (PersonTube tube : tubes) {
                actions.put(tube.trackId(), scorer.score(tube, keptFrames, request.labels()));
            }
        }
        progress.accept(1);

        log.info("Action detection on {} sampled frames of a {}x{} video: {} tubes in {} ms", detections.size(),
                info.width(), info.height(), tubes.size(), (System.nanoTime() - start) / 1_000_000);
        double effectiveSampleFps = info.frameRate() > 0 ? Math.min(request.sampleFps(), info.frameRate())
                : request.sampleFps();
        return new ActionDetectionResult(info, request.sampleFps(), effectiveSampleFps, detections.size(), tubes,
                actions, detections, previewFrames, capabilities(), decoding);
    }

    /** Picks preview frames while the video streams: the requested indices, or the first frame after evenly spaced times. */
    private static final class PreviewSelector {

        private final ActionDetectionRequest request;
        private final double[] targetSeconds;
        private int nextTarget;

        PreviewSelector(ActionDetectionRequest request, double durationSeconds) {
            this.request = request;
            int count = request.previewFrames();
            this.targetSeconds = new double[count];
            for (int k = 0; k < count; k++) {
                targetSeconds[k] = durationSeconds * k / count;
            }
        }

        boolean wants(VideoFrame frame) {
            if (!request.previewFrameIndices().isEmpty()) {
                return request.previewFrameIndices().contains(frame.frameIndex());
            }
            if (nextTarget >= targetSeconds.length || frame.timeSeconds() < targetSeconds[nextTarget]) {
                return false;
            }
            while (nextTarget < targetSeconds.length && targetSeconds[nextTarget] <= frame.timeSeconds()) {
                nextTarget++;
            }
            return true;
        }
    }
}
