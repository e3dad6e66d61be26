package dev.mlsuite.vision.action.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.json.JsonMapper;

import dev.mlsuite.platform.jobs.JobContext;
import dev.mlsuite.platform.jobs.JobHandler;
import dev.mlsuite.vision.action.ActionDetectionPipeline;
import dev.mlsuite.vision.action.ActionDetectionRequest;
import dev.mlsuite.vision.action.ActionDetectionResult;
import dev.mlsuite.vision.action.ActionScore;
import dev.mlsuite.vision.action.DecodeReport;
import dev.mlsuite.vision.action.Detection;
import dev.mlsuite.vision.action.PersonTube;
import dev.mlsuite.vision.action.PreviewRenderer;
import dev.mlsuite.vision.action.TubeBox;

/**
 * Runs one action-detection job: the pipeline on the uploaded video, then {@code result.json}
 * (the main artifact) and {@code preview.png} in the job's work folder, and a row in
 * {@code action_detection_runs}.
 */
public class ActionDetectionJobHandler implements JobHandler {

    public static final String TYPE = "action-detection";
    public static final String VIDEO_INPUT = "video";
    public static final String RESULT_ARTIFACT = "result.json";
    public static final String PREVIEW_ARTIFACT = "preview.png";

    private static final Logger log = LoggerFactory.getLogger(ActionDetectionJobHandler.class);

    private final ActionDetectionPipeline pipeline;
    private final PreviewRenderer previewRenderer;
    private final ActionDetectionRecorder recorder;
    private final JsonMapper json;
    private final Clock clock;

    public ActionDetectionJobHandler(ActionDetectionPipeline pipeline, PreviewRenderer previewRenderer,
            ActionDetectionRecorder recorder, JsonMapper json, Clock clock) {
        this.pipeline = pipeline;
        this.previewRenderer = previewRenderer;
        this.recorder = recorder;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String run(JobContext context) throws Exception {
        long start = System.nanoTime();
        ActionDetectionJobParameters parameters = json.readValue(context.parameters(),
                ActionDetectionJobParameters.class);
        Path video = context.inputDirectory().resolve(VIDEO_INPUT);
        ActionDetectionRequest request = new ActionDetectionRequest(parameters.sampleFps(), parameters.labels(),
                parameters.previewFrames(), Set.of());

        ActionDetectionResult result = pipeline.run(video, request, context::reportProgress);

        if (!result.previewFrames().isEmpty()) {
            byte[] png = PreviewRenderer.toPng(previewRenderer.render(result.previewFrames(), result.tubes(),
                    result.actionsByTrack(), Map.of()));
            Files.write(context.workDirectory().resolve(PREVIEW_ARTIFACT), png);
        }
        ActionDetectionResponse response = toResponse(context, parameters, result);
        Files.writeString(context.workDirectory().resolve(RESULT_ARTIFACT), json.writeValueAsString(response));

        for (String warning : result.decoding().warnings()) {
            log.warn("Action detection job {}: {}", context.jobId(), warning);
        }
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        recorder.record(context.jobId(), parameters, result, elapsedMillis, clock.instant());
        log.info("Action detection job {} found {} tubes in {} sampled frames ({} ms)", context.jobId(),
                result.tubes().size(), result.sampledFrames(), elapsedMillis);
        return RESULT_ARTIFACT;
    }

    private static ActionDetectionResponse toResponse(JobContext context, ActionDetectionJobParameters parameters,
            ActionDetectionResult result) {
        List<ActionDetectionResponse.Tube> tubes = new ArrayList<>();
        for (PersonTube tube : result.tubes()) {
            List<ActionDetectionResponse.Box> boxes = new ArrayList<>();
            for (TubeBox tubeBox : tube.boxes()) {
                Detection box = tubeBox.box();
                boxes.add(new ActionDetectionResponse.Box(tubeBox.frameIndex(), round(tubeBox.timeSeconds(), 1000),
                        round(box.x(), 10), round(box.y(), 10), round(box.width(), 10), round(box.height(), 10),
                        round(box.score(), 1000), tubeBox.interpolated()));
            }
            List<ActionScore> actions = result.actionsByTrack().getOrDefault(tube.trackId(), List.of());
            tubes.add(new ActionDetectionResponse.Tube(tube.trackId(), boxes, actions));
        }

        ActionDetectionResponse.Video video = new ActionDetectionResponse.Video(result.video().container(),
                result.video().codec(), result.video().width(), result.video().height(), result.video().frameRate(),
                result.video().durationSeconds());
        String preview = result.previewFrames().isEmpty() ? null : PREVIEW_ARTIFACT;
        DecodeReport decoding = result.decoding();
        return new ActionDetectionResponse(context.jobId(), video, result.requestedSampleFps(), result.sampleFps(),
                result.sampledFrames(), parameters.labelSource(), parameters.labels().size(), tubes,
                result.capabilities(), preview, decoding.decodedFrames(), decoding.expectedFrames(),
                round(decoding.lastDecodedSeconds(), 1000), decoding.warnings());
    }

    /** Rounds to 1 / {@code steps}: pixel coordinates to 0.1 px, times and scores to 0.001. */
    private static double round(double value, int steps) {
        return Math.round(value * steps) / (double) steps;
    }
}
