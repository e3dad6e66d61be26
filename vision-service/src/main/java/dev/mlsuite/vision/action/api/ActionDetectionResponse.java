package dev.mlsuite.vision.action.api;

import java.util.List;
import java.util.UUID;

import dev.mlsuite.vision.action.ActionScore;
import dev.mlsuite.vision.action.Capabilities;

/**
 * Result of an action-detection job, stored as the job's {@code result.json}.
 *
 * @param jobId         the job
 * @param video         stream properties of the upload
 * @param requestedSampleFps the sampling rate the request asked for
 * @param sampleFps     frames per second of video time that were analysed: the requested rate, or the video's
 *                      frame rate when that is lower
 * @param sampledFrames number of analysed frames
 * @param labelSource   {@code request} or {@code kinetics-400}
 * @param labelCount    number of labels scored per tube (when action scoring is active)
 * @param tubes         one entry per tracked person
 * @param capabilities  which stages ran, and why action scoring did not when {@code actions} are empty
 * @param preview       artifact name of the annotated preview image
 * @param decodedFrames frames FFmpeg decoded, sampled or not
 * @param expectedFrames frames the container states, 0 when unknown
 * @param lastDecodedSeconds presentation time of the last decoded frame
 * @param warnings      findings about truncated or damaged video or an empty result; empty when there are none
 */
public record ActionDetectionResponse(UUID jobId, Video video, double requestedSampleFps, double sampleFps,
        int sampledFrames, String labelSource, int labelCount, List<Tube> tubes, Capabilities capabilities,
        String preview, int decodedFrames, int expectedFrames, double lastDecodedSeconds, List<String> warnings) {

    /** Stream properties; {@code durationSeconds} is 0 when the container does not state it. */
    public record Video(String container, String codec, int width, int height, double frameRate,
            double durationSeconds) {
    }

    /**
     * One person over time.
     *
     * @param actions label scores, highest first; empty when action scoring is inactive
     */
    public record Tube(int trackId, List<Box> boxes, List<ActionScore> actions) {
    }

    /**
     * A person box on one sampled frame, in frame pixels.
     *
     * @param frame        index among all decoded frames, from 0
     * @param timeSeconds  presentation time
     * @param score        detector confidence (see capabilities.personDetection), 0 for interpolated boxes
     * @param interpolated true when the detector missed the person here and the box bridges the gap
     */
    public record Box(int frame, double timeSeconds, double x, double y, double w, double h, double score,
            boolean interpolated) {
    }
}
