package dev.mlsuite.inference.engine;

import java.nio.file.Path;

/** The engine shared by the tests of one JVM, with its native-library cache under {@code target/}. */
public final class TestEngine {

    private static InferenceEngine engine;

    private TestEngine() {
    }

    public static synchronized InferenceEngine get() {
        if (engine == null) {
            // One PyTorch thread: the small test models run fastest with it when other builds share the cores.
            engine = InferenceEngine.start(EngineSettings.defaults()
                    .withDevice(DeviceSetting.CPU)
                    .withCacheDirectory(Path.of("target", "djl-engine-cache").toAbsolutePath())
                    .withThreads(1, 1));
        }
        return engine;
    }
}
