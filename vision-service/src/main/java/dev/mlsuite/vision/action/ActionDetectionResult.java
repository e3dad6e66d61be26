package dev.mlsuite.vision.action;

import java.util.List;
import java.util.Map;

/**
 * Everything one run of {@link ActionDetectionPipeline} produced.
 *
 * @param video          stream properties of the input
 * @param requestedSampleFps the sampling rate the request asked for
 * @param sampleFps      the sampling rate used: the requested one, or the video's frame rate when that is lower
 * @param sampledFrames  frames analysed
 * @param tubes          person tubes, kept after tracking
 * @param actionsByTrack scored labels per track id; empty when action scoring is inactive
 * @param detections     raw detector output per sampled frame, before tracking
 * @param previewFrames  frames kept for the preview image
 * @param capabilities   which stages ran
 * @param decoding       decoded against expected frames, with warnings about damaged or truncated video
 */
public record ActionDetectionResult(VideoInfo video, double requestedSampleFps, double sampleFps, int sampledFrames, List<PersonTube> tubes,
        Map<Integer, List<ActionScore>> actionsByTrack, List<FrameDetections> detections,
        List<VideoFrame> previewFrames, Capabilities capabilities,
        DecodeReport decoding) {
}
