package dev.mlsuite.platform.jobs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A job as clients see it.
 *
 * @param result URL of the main result artifact once the job succeeded, else {@code null}
 * @param artifacts URLs of every artifact the job wrote
 */
public record JobView(
        UUID id,
        String type,
        JobStatus status,
        double progress,
        String error,
        int attempts,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String result,
        List<String> artifacts) {
}
