package dev.mlsuite.platform.jobs;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * What a running {@link JobHandler} sees of its job: its id and parameters, its folders, and a
 * way to report progress. {@link #reportProgress} also notices cancellation and throws
 * {@link JobCancelledException}, so handlers should call it regularly.
 */
public final class JobContext {

    /** Progress is written to the database at most this often, except for the final value. */
    private static final Duration PROGRESS_WRITE_INTERVAL = Duration.ofMillis(500);

    private final Job job;
    private final Path inputDirectory;
    private final Path workDirectory;
    private final JobRepository repository;
    private final Clock clock;
    private Instant lastProgressWrite = Instant.EPOCH;

    JobContext(Job job, Path inputDirectory, Path workDirectory, JobRepository repository, Clock clock) {
        this.job = job;
        this.inputDirectory = inputDirectory;
        this.workDirectory = workDirectory;
        this.repository = repository;
        this.clock = clock;
    }

    public UUID jobId() {
        return job.id();
    }

    /** Parameters as JSON, exactly as the submitting endpoint stored them. */
    public String parameters() {
        return job.parameters();
    }

    /** Attempt number, starting at 1; above 1 when a restart picked the job up again. */
    public int attempt() {
        return job.attempts();
    }

    /** Folder with the files uploaded at submission; read-only for the handler. */
    public Path inputDirectory() {
        return inputDirectory;
    }

    /** Folder for results; emptied before each attempt. */
    public Path workDirectory() {
        return workDirectory;
    }

    /**
     * Records progress (clamped to 0..1) and throws {@link JobCancelledException} when a client
     * cancelled the job or {@link InterruptedException}-style shutdown is under way.
     */
    public void reportProgress(double fraction) {
        if (Thread.currentThread().isInterrupted()) {
            throw new JobInterruptedException(job.id());
        }
        Instant now = clock.instant();
        double clamped = Math.max(0, Math.min(1, fraction));
        if (clamped < 1 && Duration.between(lastProgressWrite, now).compareTo(PROGRESS_WRITE_INTERVAL) < 0) {
            return;
        }
        lastProgressWrite = now;
        if (!repository.updateProgress(job.id(), clamped, now)) {
            throw new JobCancelledException(job.id());
        }
    }

    /** Throws when the job was cancelled, without writing progress. */
    public void checkCancelled() {
        if (Thread.currentThread().isInterrupted()) {
            throw new JobInterruptedException(job.id());
        }
        boolean running = repository.findById(job.id()).map(current -> current.status() == JobStatus.RUNNING)
                .orElse(false);
        if (!running) {
            throw new JobCancelledException(job.id());
        }
    }

    /** Thrown when the service shuts down under a running job; the job goes back to the queue. */
    public static final class JobInterruptedException extends RuntimeException {

        JobInterruptedException(UUID jobId) {
            super("Job " + jobId + " was interrupted by a shutdown");
        }
    }
}
