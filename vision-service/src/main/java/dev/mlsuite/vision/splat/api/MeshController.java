package dev.mlsuite.vision.splat.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.InputStreamSource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.mlsuite.platform.jobs.Job;
import dev.mlsuite.platform.jobs.JobService;
import dev.mlsuite.platform.jobs.JobStatus;
import dev.mlsuite.platform.web.ApiException;
import dev.mlsuite.vision.splat.CamerasJsonReader;
import dev.mlsuite.vision.splat.GaussianPlyReader;
import dev.mlsuite.vision.splat.GaussianScene;
import dev.mlsuite.vision.splat.SplatFormatException;

/**
 * Splat-to-mesh reconstruction as a job at {@code /v1/meshes}. A submission is validated at once
 * (file sizes, PLY structure and values, cameras, parameters) and then queued. The job's status,
 * per-stage progress, statistics and result files are read from the same path.
 */
@RestController
@RequestMapping("/v1/meshes")
@Tag(name = "Meshes", description = "Triangle meshes reconstructed from 3D Gaussian Splatting scenes")
public class MeshController {

    /** Result files a client may download, with their media types. */
    private static final Map<String, MediaType> RESULT_TYPES = Map.of(
            MeshJobHandler.MESH_PLY, MediaType.APPLICATION_OCTET_STREAM,
            MeshJobHandler.MESH_OBJ, MediaType.parseMediaType("model/obj"),
            MeshJobHandler.SPLAT_PREVIEW, MediaType.IMAGE_PNG,
            MeshJobHandler.MESH_PREVIEW, MediaType.IMAGE_PNG,
            MeshJobHandler.SUMMARY, MediaType.APPLICATION_JSON);

    private static final List<String> RESULT_ORDER = List.of(MeshJobHandler.MESH_PLY, MeshJobHandler.MESH_OBJ,
            MeshJobHandler.SPLAT_PREVIEW, MeshJobHandler.MESH_PREVIEW, MeshJobHandler.SUMMARY);

    private static final Logger log = LoggerFactory.getLogger(MeshController.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JobService jobs;
    private final MeshProperties properties;

    public MeshController(JobService jobs, MeshProperties properties) {
        this.jobs = jobs;
        this.properties = properties;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Queue the reconstruction of a mesh from a 3DGS point_cloud.ply",
            description = "Multipart fields: 'splat' (required, a 3D Gaussian Splatting PLY), 'cameras' (optional, "
                    + "the training cameras.json) and optional parameters. Answers 202 with the job and its "
                    + "Location.")
    public ResponseEntity<MeshJobView> submit(@RequestPart("splat") MultipartFile splat,
            @RequestPart(value = "cameras", required = false) MultipartFile cameras,
            @ModelAttribute MeshRequest request) {
        validateSplat(splat);
        validateCameras(cameras);
        request.toParameters(properties);

        Map<String, InputStreamSource> inputs = new LinkedHashMap<>();
        inputs.put(MeshJobHandler.SPLAT_INPUT, splat);
        if (cameras != null && !cameras.isEmpty()) {
            inputs.put(MeshJobHandler.CAMERAS_INPUT, cameras);
        }
        Job job = jobs.submit(MeshJobHandler.TYPE, JSON.writeValueAsString(request), inputs);

        URI location = ServletUriComponentsBuilder.fromCurrentContextPath().path("/v1/meshes/{id}")
                .buildAndExpand(job.id()).toUri();
        return ResponseEntity.accepted().location(location).body(view(job));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a mesh job's status, progress per stage, statistics and result links")
    public MeshJobView get(@PathVariable UUID id) {
        return view(findMeshJob(id));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Cancel a queued or running mesh job")
    public MeshJobView cancel(@PathVariable UUID id) {
        findMeshJob(id);
        return view(jobs.cancel(id));
    }

    @GetMapping("/{id}/{file:mesh\\.ply|mesh\\.obj|splats\\.png|mesh\\.png|summary\\.json}")
    @Operation(summary = "Download a result: mesh.ply, mesh.obj, splats.png, mesh.png or summary.json")
    public ResponseEntity<Resource> result(@PathVariable UUID id, @PathVariable String file) {
        findMeshJob(id);
        Path path = jobs.artifact(id, file);
        try {
            return ResponseEntity.ok()
                    .contentType(RESULT_TYPES.get(file))
                    .contentLength(Files.size(path))
                    .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline().filename(file).build()
                            .toString())
                    .body(new FileSystemResource(path));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read result " + path, e);
        }
    }

    private void validateSplat(MultipartFile splat) {
        if (splat.isEmpty()) {
            throw ApiException.badRequest("empty-scene", "The 'splat' file is empty.", 0,
                    "Upload the point_cloud.ply of a trained 3D Gaussian Splatting scene.");
        }
        if (splat.getSize() > properties.maxSplatBytes()) {
            throw ApiException.tooLarge("The 'splat' file has " + splat.getSize() + " bytes, more than the limit of "
                    + properties.maxSplatBytes() + ".", splat.getSize(),
                    "Prune the scene or raise vision.meshes.max-splat-bytes.");
        }
        try (InputStream in = splat.getInputStream()) {
            GaussianScene scene = new GaussianPlyReader(properties.maxGaussians()).read(in);
            log.debug("Validated upload '{}' with {} Gaussians", splat.getOriginalFilename(), scene.count());
        } catch (SplatFormatException e) {
            throw toProblem(e);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the uploaded splat", e);
        }
    }

    private static ApiException toProblem(SplatFormatException e) {
        if (e.kind() == SplatFormatException.Kind.TOO_MANY_GAUSSIANS) {
            return new ApiException(HttpStatus.CONTENT_TOO_LARGE, e.kind().id(), "Too many Gaussians", e.getMessage(),
                    null, "Prune the scene or raise vision.meshes.max-gaussians.");
        }
        String hint = switch (e.kind()) {
            case NOT_A_PLY, UNSUPPORTED_FORMAT -> "Upload a PLY file (ascii, binary_little_endian or "
                    + "binary_big_endian, version 1.0) as written by 3D Gaussian Splatting training.";
            case MISSING_PROPERTY -> "Upload a 3D Gaussian Splatting point_cloud.ply, not a plain point cloud or mesh.";
            case TRUNCATED_FILE -> "The upload is incomplete; upload the whole file again.";
            default -> "Fix or remove the named Gaussian and upload the file again.";
        };
        return new ApiException(HttpStatus.BAD_REQUEST, e.kind().id(), "Invalid splat file", e.getMessage(), null,
                hint);
    }

    private void validateCameras(MultipartFile cameras) {
        if (cameras == null || cameras.isEmpty()) {
            return;
        }
        if (cameras.getSize() > properties.maxCamerasBytes()) {
            throw ApiException.tooLarge("The 'cameras' file has " + cameras.getSize() + " bytes, more than the limit of "
                    + properties.maxCamerasBytes() + ".", cameras.getSize(),
                    "Send fewer cameras or raise vision.meshes.max-cameras-bytes.");
        }
        try (InputStream in = cameras.getInputStream()) {
            new CamerasJsonReader(properties.maxCameras()).read(in);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-cameras", e.getMessage(), null,
                    "Send the cameras.json written by 3D Gaussian Splatting training, or omit 'cameras' to use "
                            + "generated views.");
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the uploaded cameras", e);
        }
    }

    private Job findMeshJob(UUID id) {
        return jobs.find(id).filter(job -> job.type().equals(MeshJobHandler.TYPE))
                .orElseThrow(() -> ApiException.notFound("mesh-job-not-found", "No mesh job with id " + id + " exists.",
                        id.toString(), "Use the Location returned by POST /v1/meshes; finished jobs expire after the "
                                + "retention period (suite.jobs.retention)."));
    }

    private MeshJobView view(Job job) {
        List<String> artifacts = job.status() == JobStatus.QUEUED ? List.of() : jobs.artifactNames(job.id());
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", url("/v1/meshes/{id}", job.id()));
        links.put("job", url("/v1/jobs/{id}", job.id()));
        MeshSummary summary = null;
        if (job.status() == JobStatus.SUCCEEDED) {
            for (String name : RESULT_ORDER) {
                if (artifacts.contains(name)) {
                    links.put(name, url("/v1/meshes/{id}/" + name, job.id()));
                }
            }
            summary = readJson(job.id(), MeshJobHandler.SUMMARY, new TypeReference<MeshSummary>() { }, artifacts);
        }
        Map<String, Double> stages = readStages(job.id(), artifacts);
        return new MeshJobView(job.id(), job.status(), job.progress(), stages, job.error(), job.createdAt(),
                job.startedAt(), job.finishedAt(), summary, links);
    }

    private Map<String, Double> readStages(UUID id, List<String> artifacts) {
        Map<String, Map<String, Double>> progress = readJson(id, MeshJobHandler.PROGRESS,
                new TypeReference<Map<String, Map<String, Double>>>() { }, artifacts);
        return progress == null ? Map.of() : progress.getOrDefault("stages", Map.of());
    }

    private <T> T readJson(UUID id, String name, TypeReference<T> type, List<String> artifacts) {
        if (!artifacts.contains(name)) {
            return null;
        }
        try {
            return JSON.readValue(jobs.artifact(id, name).toFile(), type);
        } catch (RuntimeException e) {
            log.warn("Mesh job {}: could not read {}: {}", id, name, e.toString());
            return null;
        }
    }

    private static String url(String path, UUID id) {
        return ServletUriComponentsBuilder.fromCurrentContextPath().path(path).buildAndExpand(id).toUriString();
    }
}
