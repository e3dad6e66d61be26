package dev.mlsuite.platform.jobs;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the {@code jobs} table: the user-visible state of long-running work.
 *
 * @param progress fraction done, 0..1
 * @param parameters the job's input parameters as JSON, as the submitting endpoint stored them
 * @param resultLocation name of the main result artifact, relative to the job's artifact folder
 * @param resultBytes bytes the job's artifacts take on disk
 * @param attempts how many times execution started; above 1 after a restart picked the job up again
 */
public record Job(
        UUID id,
        String type,
        JobStatus status,
        double progress,
        String parameters,
        String error,
        String resultLocation,
        long resultBytes,
        int attempts,
        String requestId,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt) {
}
