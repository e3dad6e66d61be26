package dev.mlsuite.platform.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** File-system helpers for job folders. */
final class JobFiles {

    private static final Logger log = LoggerFactory.getLogger(JobFiles.class);

    private JobFiles() {
    }

    /**
     * Deletes a job's folder, or part of it, and logs a failure instead of throwing, because the
     * job's state is already stored and the clean-up task deletes what is left once the job expires.
     */
    static void deleteQuietly(Path directory, UUID jobId) {
        try {
            deleteRecursively(directory);
        } catch (UncheckedIOException e) {
            log.warn("Job {}: failed to delete {}: {}", jobId, directory, e.getCause().toString());
        }
    }

    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to delete " + directory, e);
        }
    }

    static long sizeOf(Path directory) {
        if (!Files.exists(directory)) {
            return 0;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(Files::isRegularFile).mapToLong(path -> {
                try {
                    return Files.size(path);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to measure " + directory, e);
        }
    }
}
