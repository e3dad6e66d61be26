package dev.mlsuite.vision.mesh;

/**
 * Receives the progress of a reconstruction: the stage name and the fraction of it done, in [0, 1].
 * A listener cancels the run by throwing {@link java.util.concurrent.CancellationException}.
 */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (stage, fraction) -> { };

    void onProgress(String stage, double fraction);
}
