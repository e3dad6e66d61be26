package dev.mlsuite.vision.action.api;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The multipart form of {@code POST /v1/action-detections}, for the OpenAPI document only: the
 * controller reads the fields itself, because Spring's binding would split a single label at commas.
 */
@Schema(name = "ActionDetectionForm", description = "Multipart form of an action-detection request")
record ActionDetectionForm(
        @Schema(description = "The video file, any container and codec FFmpeg reads", type = "string",
                format = "binary", requiredMode = Schema.RequiredMode.REQUIRED) String video,
        @Schema(description = "Action labels, as repeated fields or one per line; commas inside a label are kept. "
                + "Without labels the 400 Kinetics-400 action names are used.") List<String> labels,
        @Schema(description = "Frames per second of video time to analyse (default 2)", example = "2") Double sampleFps,
        @Schema(description = "Frames in the preview image, spread evenly over the video (default 6)", example = "6")
        Integer previewFrames) {
}
