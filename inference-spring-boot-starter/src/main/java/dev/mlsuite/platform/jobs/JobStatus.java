package dev.mlsuite.platform.jobs;

/** Lifecycle of a job; {@link #isFinal()} states never change again. */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
