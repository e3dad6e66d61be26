package dev.mlsuite.platform.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.mlsuite.platform.web.ApiException;

/** Status, cancellation and artifacts of the service's jobs, at {@code /v1/jobs}. */
@RestController
@RequestMapping("/v1/jobs")
@Tag(name = "Jobs", description = "Long-running work: status, progress, cancellation and result files")
public class JobController {

    private static final int MAX_LIST_SIZE = 200;

    private final JobService jobs;

    public JobController(JobService jobs) {
        this.jobs = jobs;
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a job's status, progress and result links")
    public JobView get(@PathVariable UUID id) {
        return view(jobs.find(id).orElseThrow(() -> JobService.notFound(id)));
    }

    @GetMapping
    @Operation(summary = "List recent jobs, newest first")
    public List<JobView> list(@RequestParam(required = false) String type,
            @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > MAX_LIST_SIZE) {
            throw ApiException.badRequest("invalid-limit", "limit must be between 1 and " + MAX_LIST_SIZE + ".", limit,
                    "Send a limit between 1 and " + MAX_LIST_SIZE + ".");
        }
        return jobs.recent(type, limit).stream().map(this::view).toList();
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Cancel a queued or running job")
    public JobView cancel(@PathVariable UUID id) {
        return view(jobs.cancel(id));
    }

    @GetMapping("/{id}/artifacts/{name}")
    @Operation(summary = "Download one result file of a job")
    public ResponseEntity<Resource> artifact(@PathVariable UUID id, @PathVariable String name) {
        Path file = jobs.artifact(id, name);
        MediaType type = MediaTypeFactory.getMediaType(name).orElse(MediaType.APPLICATION_OCTET_STREAM);
        try {
            return ResponseEntity.ok().contentType(type).contentLength(Files.size(file))
                    .body(new FileSystemResource(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read artifact " + file, e);
        }
    }

    /** Builds the {@code 202 Accepted} answer to a job submission, with the job's URL as {@code Location}. */
    public static ResponseEntity<JobView> accepted(Job job) {
        URI location = ServletUriComponentsBuilder.fromCurrentContextPath().path("/v1/jobs/{id}")
                .buildAndExpand(job.id()).toUri();
        JobView view = new JobView(job.id(), job.type(), job.status(), job.progress(), job.error(), job.attempts(),
                job.createdAt(), job.startedAt(), job.finishedAt(), null, List.of());
        return ResponseEntity.accepted().location(location).body(view);
    }

    private JobView view(Job job) {
        List<String> artifacts = jobs.artifactNames(job.id()).stream().map(name -> artifactUrl(job.id(), name))
                .toList();
        String result = job.status() == JobStatus.SUCCEEDED && job.resultLocation() != null
                ? artifactUrl(job.id(), job.resultLocation())
                : null;
        return new JobView(job.id(), job.type(), job.status(), job.progress(), job.error(), job.attempts(),
                job.createdAt(), job.startedAt(), job.finishedAt(), result, artifacts);
    }

    private static String artifactUrl(UUID id, String name) {
        return ServletUriComponentsBuilder.fromCurrentContextPath().path("/v1/jobs/{id}/artifacts/{name}")
                .buildAndExpand(id, name).toUriString();
    }
}
