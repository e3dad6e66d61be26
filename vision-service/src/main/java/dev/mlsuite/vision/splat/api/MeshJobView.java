package dev.mlsuite.vision.splat.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.mlsuite.platform.jobs.JobStatus;

/**
 * A mesh reconstruction job as clients see it.
 *
 * @param progress overall fraction done, 0..1
 * @param stages fraction done per pipeline stage, in pipeline order; empty until the job starts
 * @param error why the job failed, naming the failed stage, or null
 * @param summary statistics of the finished mesh (vertices, faces, timings), or null before success
 * @param links URLs of the job's results and of the generic job resource, by name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MeshJobView(UUID id, JobStatus status, double progress, Map<String, Double> stages, String error,
        Instant createdAt, Instant startedAt, Instant finishedAt, MeshSummary summary, Map<String, String> links) {
}
