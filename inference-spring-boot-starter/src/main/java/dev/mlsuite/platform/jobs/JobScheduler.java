package dev.mlsuite.platform.jobs;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * Runs db-scheduler over the service's schema: the job task plus a recurring clean-up that
 * deletes expired jobs and keeps artifacts within {@code suite.jobs.max-total-bytes}.
 * Starts after the application context is ready and stops before the database closes.
 */
public class JobScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobScheduler.class);

    private final Scheduler scheduler;
    private final JobProperties properties;
    private final JobRepository repository;
    private final Clock clock;
    private volatile boolean running;

    public JobScheduler(DataSource dataSource, JobRunner runner, JobProperties properties, JobRepository repository,
            Clock clock) {
        this.properties = properties;
        this.repository = repository;
        this.clock = clock;
        RecurringTask<Void> cleanup = Tasks.recurring("suite-job-cleanup", FixedDelay.of(properties.cleanupInterval()))
                .execute((instance, context) -> cleanUp());
        // The proxy lets a submission write its job row and scheduler entry in one transaction.
        this.scheduler = Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), List.of(runner.task()))
                .startTasks(cleanup)
                .threads(properties.threads())
                .pollingInterval(properties.pollingInterval())
                .heartbeatInterval(properties.heartbeatInterval())
                .missedHeartbeatsLimit(properties.missedHeartbeatsLimit())
                .shutdownMaxWait(properties.shutdownMaxWait())
                .enableImmediateExecution()
                .build();
    }

    public Scheduler client() {
        return scheduler;
    }

    /** Deletes finished jobs past the retention period, then the oldest finished ones while over quota. */
    public int cleanUp() {
        int deleted = 0;
        Instant cutoff = clock.instant().minus(properties.retention());
        for (Job job : repository.findFinishedBefore(cutoff)) {
            delete(job);
            deleted++;
        }
        for (Job job : repository.findFinishedOldestFirst()) {
            if (repository.totalBytes() <= properties.maxTotalBytes()) {
                break;
            }
            delete(job);
            deleted++;
        }
        if (deleted > 0) {
            log.info("Job clean-up deleted {} finished job(s)", deleted);
        }
        return deleted;
    }

    private void delete(Job job) {
        JobFiles.deleteRecursively(properties.artifactDirectory().resolve(job.id().toString()));
        repository.delete(job.id());
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            log.info("Job scheduler disabled (suite.jobs.enabled=false); jobs are queued for other instances");
            running = true;
            return;
        }
        scheduler.start();
        running = true;
        log.info("Job scheduler started with {} thread(s), artifacts in {}", properties.threads(),
                properties.artifactDirectory().toAbsolutePath());
    }

    @Override
    public void stop() {
        if (properties.enabled()) {
            scheduler.stop();
            log.info("Job scheduler stopped");
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
