package dev.mlsuite.inference.engine;

import java.nio.file.Path;

/** The engine shared by the tests of one JVM, with its native-library cache under {@code target/}. */
public final class TestEngine {

    private static InferenceEngine engine;

    private TestEngine() {
    }

    public static synchronized InferenceEngine get() {
        if (engine == null) {
            engine = InferenceEngine.start(new EngineSettings(DeviceSetting.CPU,
                    java.util.Optional.of(Path.of("target", "djl-engine-cache").toAbsolutePath())));
        }
        return engine;
    }
}
