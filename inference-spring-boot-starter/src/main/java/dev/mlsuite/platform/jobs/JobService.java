package dev.mlsuite.platform.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.InputStreamSource;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionTemplate;

import dev.mlsuite.platform.web.ApiException;
import dev.mlsuite.platform.web.CorrelationIdFilter;

/**
 * Submits, looks up and cancels jobs. A submission stores the uploaded files in the job's
 * folder, then writes the job row and the scheduler entry in one transaction, so a failure
 * leaves neither a row nor a folder behind.
 */
public class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    /** Input and artifact names: one path segment, no hidden files. */
    private static final Pattern SAFE_FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final JobRepository repository;
    private final SchedulerClient scheduler;
    private final OneTimeTask<String> task;
    private final TransactionTemplate transactions;
    private final JobProperties properties;
    private final Set<String> knownTypes;
    private final Clock clock;

    public JobService(JobRepository repository, SchedulerClient scheduler, OneTimeTask<String> task,
            TransactionTemplate transactions, JobProperties properties, Set<String> knownTypes, Clock clock) {
        this.repository = repository;
        this.scheduler = scheduler;
        this.task = task;
        this.transactions = transactions;
        this.properties = properties;
        this.knownTypes = Set.copyOf(knownTypes);
        this.clock = clock;
    }

    /**
     * Queues a job of {@code type}.
     *
     * @param parametersJson the job's parameters as JSON; handlers read them back unchanged
     * @param inputs files to store in the job's input folder, by file name
     */
    public Job submit(String type, String parametersJson, Map<String, ? extends InputStreamSource> inputs) {
        if (!knownTypes.contains(type)) {
            throw new IllegalArgumentException("No JobHandler bean handles job type '" + type + "'; known: "
                    + knownTypes);
        }
        checkStorageQuota();

        UUID id = UUID.randomUUID();
        Path jobDirectory = jobDirectory(id);
        try {
            storeInputs(jobDirectory.resolve(JobRunner.INPUT_FOLDER), inputs);
            Instant now = clock.instant();
            Job job = new Job(id, type, JobStatus.QUEUED, 0, parametersJson, null, null, 0, 0,
                    CorrelationIdFilter.currentId(), now, now, null, null);
            transactions.executeWithoutResult(status -> {
                repository.insert(job);
                scheduler.schedule(task.instance(id.toString(), id.toString()), now);
            });
            log.info("Job {} of type {} queued", id, type);
            return job;
        } catch (RuntimeException e) {
            JobFiles.deleteRecursively(jobDirectory);
            throw e;
        }
    }

    public Optional<Job> find(UUID id) {
        return repository.findById(id);
    }

    public List<Job> recent(String type, int limit) {
        return repository.findRecent(type, limit);
    }

    /**
     * Cancels a queued or running job and deletes its uploaded inputs and partial results. A
     * queued job never starts; a running job stops at its next progress report. Returns the job
     * as it is afterwards.
     */
    public Job cancel(UUID id) {
        Job job = repository.findById(id).orElseThrow(() -> notFound(id));
        if (job.status().isFinal()) {
            throw new ApiException(HttpStatus.CONFLICT, "job-already-finished", "Job already finished",
                    "Job " + id + " already finished with status " + job.status() + " and cannot be cancelled.",
                    job.status().name(), "Fetch the job's result, or submit a new job.");
        }
        if (repository.markCancelled(id, clock.instant())) {
            log.info("Job {} cancelled", id);
            // A running handler may still write files, so the runner deletes the folder again once it stops.
            JobFiles.deleteQuietly(jobDirectory(id), id);
        }
        return repository.findById(id).orElseThrow(() -> notFound(id));
    }

    /** Returns the path of one artifact of a job, after checking that the name is safe and the file exists. */
    public Path artifact(UUID id, String name) {
        repository.findById(id).orElseThrow(() -> notFound(id));
        if (!SAFE_FILE_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("invalid-artifact-name", "Artifact name '" + name + "' is not valid.", name,
                    "Use a name listed in the job's artifacts.");
        }
        Path file = jobDirectory(id).resolve(JobRunner.WORK_FOLDER).resolve(name);
        if (!Files.isRegularFile(file)) {
            throw ApiException.notFound("artifact-not-found", "Job " + id + " has no artifact named '" + name + "'.",
                    name, "Wait until the job succeeded, then use a name listed in the job's artifacts.");
        }
        return file;
    }

    /** Lists the artifact file names of a job, sorted. */
    public List<String> artifactNames(UUID id) {
        Path work = jobDirectory(id).resolve(JobRunner.WORK_FOLDER);
        if (!Files.isDirectory(work)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(work)) {
            return files.filter(Files::isRegularFile).map(path -> path.getFileName().toString())
                    .filter(name -> SAFE_FILE_NAME.matcher(name).matches()).sorted(Comparator.naturalOrder())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to list artifacts of job " + id, e);
        }
    }

    Path jobDirectory(UUID id) {
        return properties.artifactDirectory().resolve(id.toString());
    }

    private void checkStorageQuota() {
        long used = repository.totalBytes();
        if (used >= properties.maxTotalBytes()) {
            throw new ApiException(HttpStatus.INSUFFICIENT_STORAGE, "job-storage-full", "Job storage full",
                    "Job artifacts take " + used + " bytes, at or above the limit suite.jobs.max-total-bytes="
                            + properties.maxTotalBytes() + ".",
                    used, "Delete or wait for old jobs to expire (suite.jobs.retention), or raise the limit.");
        }
    }

    private static void storeInputs(Path inputDirectory, Map<String, ? extends InputStreamSource> inputs) {
        try {
            Files.createDirectories(inputDirectory);
            for (Map.Entry<String, ? extends InputStreamSource> input : inputs.entrySet()) {
                if (!SAFE_FILE_NAME.matcher(input.getKey()).matches()) {
                    throw new IllegalArgumentException("Job input name '" + input.getKey() + "' is not a safe file name");
                }
                try (InputStream stream = input.getValue().getInputStream()) {
                    Files.copy(stream, inputDirectory.resolve(input.getKey()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to store job inputs in " + inputDirectory, e);
        }
    }

    static ApiException notFound(UUID id) {
        return ApiException.notFound("job-not-found", "No job with id " + id + " exists.", id.toString(),
                "Check the id from the Location header of the submission; finished jobs expire after the "
                        + "retention period.");
    }
}
