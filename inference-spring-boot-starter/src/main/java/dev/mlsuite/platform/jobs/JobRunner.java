package dev.mlsuite.platform.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Executes queued jobs for db-scheduler: marks the attempt, calls the {@link JobHandler} of
 * the job's type and stores the outcome. An attempt cut short by a shutdown leaves the job
 * {@code RUNNING} and hands it back to the queue, so the next start of the service runs it again;
 * a service that died without shutting down is noticed through its stale heartbeat.
 */
public class JobRunner {

    public static final String TASK_NAME = "suite-job";
    static final String INPUT_FOLDER = "input";
    static final String WORK_FOLDER = "work";

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobRepository repository;
    private final Map<String, JobHandler> handlers;
    private final JobProperties properties;
    private final Clock clock;
    private final OneTimeTask<String> task;

    public JobRunner(JobRepository repository, Iterable<JobHandler> handlers, JobProperties properties, Clock clock) {
        this.repository = repository;
        this.handlers = java.util.stream.StreamSupport.stream(handlers.spliterator(), false)
                .collect(Collectors.toUnmodifiableMap(JobHandler::type, Function.identity()));
        this.properties = properties;
        this.clock = clock;
        this.task = Tasks.oneTime(TASK_NAME, String.class)
                .onFailure(new RequeueAfterShutdown())
                .onDeadExecution(new DeadExecutionHandler.ReviveDeadExecution<>())
                .execute(this::execute);
    }

    public OneTimeTask<String> task() {
        return task;
    }

    public java.util.Set<String> types() {
        return handlers.keySet();
    }

    private void execute(TaskInstance<String> instance, ExecutionContext executionContext) {
        UUID id = UUID.fromString(instance.getData());
        MDC.put("jobId", id.toString());
        try {
            runAttempt(id);
        } finally {
            MDC.remove("jobId");
        }
    }

    private void runAttempt(UUID id) {
        Job queued = repository.findById(id).orElse(null);
        if (queued == null || queued.status().isFinal()) {
            log.info("Job {} skipped: {}", id, queued == null ? "deleted" : "already " + queued.status());
            return;
        }
        JobHandler handler = handlers.get(queued.type());
        Path jobDirectory = properties.artifactDirectory().resolve(id.toString());
        if (handler == null) {
            JobFiles.deleteQuietly(jobDirectory.resolve(INPUT_FOLDER), id);
            repository.markFailed(id, "No handler for job type " + queued.type() + " in this service version",
                    JobFiles.sizeOf(jobDirectory), clock.instant());
            log.error("Job {} failed: no handler for type {}", id, queued.type());
            return;
        }
        if (!repository.markRunning(id, clock.instant())) {
            return;
        }

        Job job = repository.findById(id).orElseThrow();
        Path workDirectory = jobDirectory.resolve(WORK_FOLDER);
        JobFiles.deleteRecursively(workDirectory);
        log.info("Job {} of type {} started (attempt {})", id, job.type(), job.attempts());

        try {
            Files.createDirectories(workDirectory);
            JobContext context = new JobContext(job, jobDirectory.resolve(INPUT_FOLDER), workDirectory, repository,
                    clock);
            String result = handler.run(context);
            finish(id, result, jobDirectory);
        } catch (JobCancelledException e) {
            log.info("Job {} stopped after cancellation", id);
            JobFiles.deleteQuietly(jobDirectory, id);
        } catch (JobContext.JobInterruptedException | InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Job {} interrupted by shutdown; it runs again at the next start", id);
            throw new JobContext.JobInterruptedException(id);
        } catch (Exception e) {
            fail(id, e, jobDirectory);
        }
    }

    /**
     * Stores a handler's failure and deletes the job's inputs, keeping its partial results for
     * diagnosis. An error after a cancellation (the inputs were deleted under the handler) only
     * deletes what the handler wrote meanwhile.
     */
    private void fail(UUID id, Exception error, Path jobDirectory) {
        JobFiles.deleteQuietly(jobDirectory.resolve(INPUT_FOLDER), id);
        if (repository.markFailed(id, describe(error), JobFiles.sizeOf(jobDirectory), clock.instant())) {
            log.error("Job {} failed", id, error);
            return;
        }
        log.info("Job {} stopped after cancellation: {}", id, describe(error));
        JobFiles.deleteQuietly(jobDirectory, id);
    }

    private void finish(UUID id, String result, Path jobDirectory) {
        long bytes = JobFiles.sizeOf(jobDirectory);
        if (bytes > properties.maxJobBytes()) {
            JobFiles.deleteQuietly(jobDirectory, id);
            repository.markFailed(id, "Job wrote " + bytes + " bytes, above suite.jobs.max-job-bytes="
                    + properties.maxJobBytes() + "; its files were deleted", 0, clock.instant());
            log.error("Job {} failed: {} bytes over the per-job quota", id, bytes);
            return;
        }
        if (repository.markSucceeded(id, result, bytes, clock.instant())) {
            log.info("Job {} succeeded ({} bytes of artifacts)", id, bytes);
            return;
        }
        log.info("Job {} finished after its cancellation; its files are deleted", id);
        JobFiles.deleteQuietly(jobDirectory, id);
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** Requeues an attempt that a shutdown interrupted; any other failure was already stored. */
    private final class RequeueAfterShutdown implements FailureHandler<String> {

        @Override
        public void onFailure(ExecutionComplete complete, ExecutionOperations<String> operations) {
            operations.reschedule(complete, clock.instant());
        }
    }
}
