package dev.mlsuite.platform.jobs;

/** Thrown inside a running job when a client cancelled it; the scheduler stops the job quietly. */
public class JobCancelledException extends RuntimeException {

    public JobCancelledException(java.util.UUID jobId) {
        super("Job " + jobId + " was cancelled");
    }
}
