package dev.mlsuite.inference.engine;

import java.nio.file.Path;

/** The engine shared by the tests of one JVM, with its native-library cache under {@code target/}. */
public final class TestEngine {

    private static InferenceEngine engine;

    private TestEngine() {
    }

    public static synchronized InferenceEngine get() {
        if (engine == null) {
            // One PyTorch thread: with the default, small models decode about ten times slower on a busy machine.
            engine = InferenceEngine.start(EngineSettings.defaults()
                    .withDevice(DeviceSetting.CPU)
                    .withCacheDirectory(Path.of("target", "djl-engine-cache").toAbsolutePath())
                    .withThreads(1, 1));
        }
        return engine;
    }
}
