package dev.mlsuite.platform.jobs;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the shared job support ({@code suite.jobs.*}).
 *
 * @param enabled runs the scheduler in this instance; {@code false} still accepts and stores jobs
 * @param artifactDirectory folder holding one sub-folder per job (inputs and results)
 * @param maxJobBytes largest total size of one job's folder; a job that writes more fails
 * @param maxTotalBytes largest size of all job folders together; new jobs are rejected above it
 * @param retention finished jobs older than this are deleted with their artifacts
 * @param threads jobs that run at the same time in this instance
 * @param pollingInterval how often the scheduler looks for due jobs
 * @param heartbeatInterval how often a running job's row is touched; a job whose heartbeat is
 *     older than {@code heartbeatInterval * missedHeartbeatsLimit} counts as dead and runs again
 * @param missedHeartbeatsLimit see {@code heartbeatInterval}
 * @param shutdownMaxWait how long a stopping service waits for running jobs before it hands them
 *     back to the queue
 * @param cleanupInterval how often retention and quotas are enforced
 */
@ConfigurationProperties("suite.jobs")
public record JobProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("data/jobs") Path artifactDirectory,
        @DefaultValue("2147483648") long maxJobBytes,
        @DefaultValue("21474836480") long maxTotalBytes,
        @DefaultValue("7d") Duration retention,
        @DefaultValue("2") int threads,
        @DefaultValue("1s") Duration pollingInterval,
        @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue("4") int missedHeartbeatsLimit,
        @DefaultValue("10s") Duration shutdownMaxWait,
        @DefaultValue("15m") Duration cleanupInterval) {

    public JobProperties {
        if (maxJobBytes <= 0 || maxTotalBytes <= 0) {
            throw new IllegalArgumentException("suite.jobs.max-job-bytes and max-total-bytes must be positive, got "
                    + maxJobBytes + " and " + maxTotalBytes);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("suite.jobs.threads must be at least 1, got " + threads);
        }
        if (missedHeartbeatsLimit < 4) {
            throw new IllegalArgumentException("suite.jobs.missed-heartbeats-limit must be at least 4 (a db-scheduler limit), got "
                    + missedHeartbeatsLimit);
        }
    }
}
