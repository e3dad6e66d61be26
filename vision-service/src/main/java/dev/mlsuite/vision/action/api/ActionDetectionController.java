package dev.mlsuite.vision.action.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

import tools.jackson.databind.json.JsonMapper;

import dev.mlsuite.platform.jobs.Job;
import dev.mlsuite.platform.jobs.JobController;
import dev.mlsuite.platform.jobs.JobService;
import dev.mlsuite.platform.jobs.JobStatus;
import dev.mlsuite.platform.jobs.JobView;
import dev.mlsuite.platform.web.ApiException;
import dev.mlsuite.vision.action.ActionDetectionProperties;
import dev.mlsuite.vision.action.LabelVocabulary;
import dev.mlsuite.vision.action.VideoDecoder;
import dev.mlsuite.vision.action.VideoReader;

/**
 * Accepts videos for person-tube and action detection as jobs. The upload is checked before the
 * job is queued (limits, container, first frame), so unreadable videos are rejected at once
 * with a problem detail instead of a failed job.
 */
@RestController
@Tag(name = "Action detection", description = "People in video as tubes of boxes, with zero-shot action labels")
public class ActionDetectionController {

    private static final Logger log = LoggerFactory.getLogger(ActionDetectionController.class);

    /** The multipart fields of a submission, in the order the API guide lists them. */
    static final List<String> ACCEPTED_FIELDS = List.of("video", "labels", "sampleFps", "previewFrames");

    private final VideoDecoder decoder;
    private final LabelVocabulary vocabulary;
    private final JobService jobs;
    private final JsonMapper json;
    private final ActionDetectionProperties properties;

    public ActionDetectionController(VideoDecoder decoder, LabelVocabulary vocabulary, JobService jobs, JsonMapper json,
            ActionDetectionProperties properties) {
        this.decoder = decoder;
        this.vocabulary = vocabulary;
        this.jobs = jobs;
        this.json = json;
        this.properties = properties;
    }

    @PostMapping(path = "/v1/action-detections", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Detect and track people in a video and score action labels per person",
            description = "Returns 202 with the job in the body and its URL in Location. The job's result is "
                    + "result.json (tubes, actions, capabilities) and preview.png (frames with boxes). Send "
                    + "labels as repeated 'labels' fields or one per line; without the labels field the 400 "
                    + "Kinetics action names are used. Other fields are rejected as unknown-field.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = ActionDetectionForm.class)))
    @ApiResponse(responseCode = "202", description = "Job queued; Location is the job's URL")
    @ApiResponse(responseCode = "400", description = "Invalid parameter, blank labels field or invalid label, "
            + "unknown field, empty or undecodable video",
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "413", description = "Video over a limit: bytes, duration, resolution or sampled frames",
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "415", description = "Not a video FFmpeg can open, or no video stream",
            content = @Content(mediaType = "application/problem+json"))
    public ResponseEntity<JobView> submit(
            @Parameter(hidden = true) @RequestPart("video") MultipartFile video,
            @Parameter(hidden = true) @RequestParam(required = false) Double sampleFps,
            @Parameter(hidden = true) @RequestParam(required = false) Integer previewFrames,
            HttpServletRequest request) {
        checkFieldNames(request);
        double rate = sampleFps != null ? sampleFps : properties.getVideo().getDefaultSampleFps();
        checkSampleFps(rate);
        int preview = previewFrames != null ? previewFrames : properties.getPreview().getFrames();
        checkPreviewFrames(preview);

        // Labels are read raw, because Spring's binding would split a single value at commas.
        List<String> labels = vocabulary.parse(request.getParameterValues("labels"));
        String labelSource = labels.isEmpty() ? LabelVocabulary.KINETICS_400_SOURCE : LabelVocabulary.REQUEST_SOURCE;
        if (labels.isEmpty()) {
            labels = vocabulary.kinetics400();
        }

        Path upload = createTempFile();
        try {
            String sha256 = store(video, upload);
            probe(upload, video.getOriginalFilename(), rate);
            ActionDetectionJobParameters parameters = new ActionDetectionJobParameters(labels, labelSource, rate,
                    preview, video.getOriginalFilename(), sha256, Files.size(upload));
            Job job = jobs.submit(ActionDetectionJobHandler.TYPE, json.writeValueAsString(parameters),
                    Map.of(ActionDetectionJobHandler.VIDEO_INPUT, new FileSystemResource(upload)));
            return JobController.accepted(job);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to store the uploaded video", e);
        } finally {
            deleteQuietly(upload);
        }
    }

    @GetMapping(path = "/v1/action-detections/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Get the result of a finished action-detection job",
            description = "The same document as the job's result.json artifact; 409 while the job has not succeeded.")
    public ResponseEntity<String> result(@PathVariable UUID id) throws IOException {
        Job job = jobs.find(id).filter(found -> found.type().equals(ActionDetectionJobHandler.TYPE))
                .orElseThrow(() -> ApiException.notFound("job-not-found", "No action-detection job with id " + id
                        + " exists.", id.toString(), "Use the id from the Location header of the submission."));
        if (job.status() != JobStatus.SUCCEEDED) {
            throw new ApiException(HttpStatus.CONFLICT, "job-not-succeeded", "Job has no result",
                    "Action-detection job " + id + " is " + job.status() + " and has no result"
                            + (job.error() != null ? ": " + job.error() : "."),
                    job.status().name(), "Poll /v1/jobs/" + id + " until its status is SUCCEEDED.");
        }
        Path result = jobs.artifact(id, ActionDetectionJobHandler.RESULT_ARTIFACT);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Files.readString(result));
    }

    /** Rejects form fields and query parameters other than {@link #ACCEPTED_FIELDS}, which a client likely misspelt. */
    private static void checkFieldNames(HttpServletRequest request) {
        Set<String> names = new TreeSet<>(Collections.list(request.getParameterNames()));
        if (request instanceof MultipartHttpServletRequest multipart) {
            names.addAll(multipart.getFileMap().keySet());
        }
        names.removeAll(ACCEPTED_FIELDS);
        if (!names.isEmpty()) {
            throw ApiException.badRequest("unknown-field", "The request contains unknown fields: "
                    + String.join(", ", names), String.join(", ", names),
                    "Send only the fields " + String.join(", ", ACCEPTED_FIELDS) + ".");
        }
    }

    private void checkSampleFps(double rate) {
        double max = properties.getVideo().getMaxSampleFps();
        if (!(rate > 0 && rate <= max)) {
            throw ApiException.badRequest("invalid-parameter", "sampleFps must be above 0 and at most " + max, rate,
                    "Send a sampleFps between 0.1 and " + max + " frames per second of video.");
        }
    }

    private void checkPreviewFrames(int preview) {
        int max = properties.getPreview().getMaxFrames();
        if (preview < 1 || preview > max) {
            throw ApiException.badRequest("invalid-parameter", "previewFrames must be between 1 and " + max, preview,
                    "Send a previewFrames between 1 and " + max + ".");
        }
    }

    /** Opens the upload and decodes its first sampled frame, which raises the decoder's problem details. */
    private void probe(Path upload, String fileName, double rate) {
        String displayName = fileName == null || fileName.isBlank() ? "video" : fileName;
        try (VideoReader reader = decoder.open(upload, displayName, rate)) {
            reader.nextSample();
        }
    }

    /** Copies the upload to {@code target} and returns its SHA-256 in hexadecimal. */
    private static String store(MultipartFile video, Path target) throws IOException {
        if (video.isEmpty()) {
            throw ApiException.badRequest("empty-video", "The uploaded video is empty", 0,
                    "Attach the video file as the multipart part 'video'.");
        }
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(video.getInputStream(), digest)) {
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM provides no SHA-256", e);
        }
    }

    private static Path createTempFile() {
        try {
            return Files.createTempFile("action-upload-", ".video");
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to create a temporary file for the upload", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Failed to delete the temporary upload {}", file, e);
        }
    }
}
