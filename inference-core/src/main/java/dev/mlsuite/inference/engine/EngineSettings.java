package dev.mlsuite.inference.engine;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the PyTorch engine, fixed when the engine starts.
 *
 * @param device where tensors live: {@code auto}, {@code cpu} or {@code gpu}
 * @param cacheDirectory folder into which DJL extracts the native library from the classifier jar;
 *     empty keeps DJL's default ({@code ENGINE_CACHE_DIR}, else {@code ~/.djl.ai})
 */
public record EngineSettings(DeviceSetting device, Optional<Path> cacheDirectory) {

    /** Configuration key that selects the device, named in start-up errors. */
    public static final String DEVICE_SETTING = "inference.device";

    /** Configuration key of the native-library cache folder, named in start-up errors. */
    public static final String CACHE_DIRECTORY_SETTING = "inference.engine-cache-dir";

    public EngineSettings {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(cacheDirectory, "cacheDirectory");
    }

    /** Returns the settings that pick the device automatically and keep DJL's cache folder. */
    public static EngineSettings defaults() {
        return new EngineSettings(DeviceSetting.AUTO, Optional.empty());
    }

    public EngineSettings withDevice(DeviceSetting newDevice) {
        return new EngineSettings(newDevice, cacheDirectory);
    }

    public EngineSettings withCacheDirectory(Path directory) {
        return new EngineSettings(device, Optional.of(directory));
    }
}
