package dev.mlsuite.vision.action;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads the OpenCV native library from the {@code org.openpnp:opencv} jar once per JVM. */
final class OpenCvLoader {

    private static final Logger log = LoggerFactory.getLogger(OpenCvLoader.class);

    private static boolean loaded;

    private OpenCvLoader() {
    }

    /**
     * Extracts the native library that matches this platform from the jar into a temporary
     * folder and loads it. Nothing is downloaded.
     *
     * @throws IllegalStateException when the jar contains no library for this platform or it fails to load
     */
    static synchronized void load() {
        if (loaded) {
            return;
        }
        long start = System.nanoTime();
        try {
            nu.pattern.OpenCV.loadLocally();
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("Failed to load the OpenCV native library from org.openpnp:opencv for "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                    + "; the person detector needs it", e);
        }
        loaded = true;
        log.info("OpenCV {} native library loaded in {} ms", org.opencv.core.Core.VERSION,
                (System.nanoTime() - start) / 1_000_000);
    }
}
