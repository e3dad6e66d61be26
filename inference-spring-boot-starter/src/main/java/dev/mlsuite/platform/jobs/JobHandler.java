package dev.mlsuite.platform.jobs;

/**
 * The work behind one job type. Services register handlers as beans; the scheduler calls
 * {@link #run} on a worker thread.
 *
 * <p>A handler may run more than once for the same job: when the service stops while the job
 * runs, the next start runs it again from the beginning. Handlers therefore write only into
 * {@link JobContext#workDirectory()}, which is emptied before each attempt.
 */
public interface JobHandler {

    /** Job type this handler runs, e.g. {@code mesh-reconstruction}. */
    String type();

    /**
     * Runs the job and returns the name of its main result artifact (a file in the work
     * directory), or {@code null} when the result is only in the service's own tables.
     */
    String run(JobContext context) throws Exception;
}
