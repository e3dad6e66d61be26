package dev.mlsuite.vision.action.api;

import java.util.List;

/**
 * Parameters of one action-detection job, stored as JSON in the job row.
 *
 * @param labels        action labels to score
 * @param labelSource   {@code request} or {@code kinetics-400} (the default vocabulary)
 * @param sampleFps     frames per second of video time to analyse
 * @param previewFrames frames in the preview image
 * @param videoFileName file name the client gave the upload, for the record only
 * @param videoSha256   SHA-256 of the uploaded bytes, hexadecimal
 * @param videoBytes    size of the upload
 */
public record ActionDetectionJobParameters(List<String> labels, String labelSource, double sampleFps,
        int previewFrames, String videoFileName, String videoSha256, long videoBytes) {
}
