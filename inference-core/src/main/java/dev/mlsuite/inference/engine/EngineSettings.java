package dev.mlsuite.inference.engine;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Settings of the PyTorch engine, fixed when the engine first starts in a JVM.
 *
 * @param device where tensors live: {@code auto}, {@code cpu} or {@code gpu}
 * @param cacheDirectory folder into which DJL extracts the native library from the classifier jar;
 *     empty keeps DJL's default ({@code ENGINE_CACHE_DIR}, else {@code ~/.djl.ai})
 * @param intraOpThreads threads PyTorch uses inside one operation; empty keeps PyTorch's default,
 *     one per core. On a shared 2-core machine, stories260K decoding on a long-lived thread ran about
 *     ten times faster with 1 than with the default (see docs/benchmarks.md).
 * @param interOpThreads threads PyTorch uses to run independent operations; empty keeps the default
 */
public record EngineSettings(
        DeviceSetting device, Optional<Path> cacheDirectory, OptionalInt intraOpThreads, OptionalInt interOpThreads) {

    /** Configuration key that selects the device, named in start-up errors. */
    public static final String DEVICE_SETTING = "inference.device";

    /** Configuration key of the native-library cache folder, named in start-up errors. */
    public static final String CACHE_DIRECTORY_SETTING = "inference.engine-cache-dir";

    public EngineSettings {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(cacheDirectory, "cacheDirectory");
        Objects.requireNonNull(intraOpThreads, "intraOpThreads");
        Objects.requireNonNull(interOpThreads, "interOpThreads");
        requirePositive("intraOpThreads", intraOpThreads);
        requirePositive("interOpThreads", interOpThreads);
    }

    /** Creates settings that keep PyTorch's default thread counts. */
    public EngineSettings(DeviceSetting device, Optional<Path> cacheDirectory) {
        this(device, cacheDirectory, OptionalInt.empty(), OptionalInt.empty());
    }

    private static void requirePositive(String name, OptionalInt value) {
        if (value.isPresent() && value.getAsInt() < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value.getAsInt());
        }
    }

    /** Returns the settings that pick the device automatically and keep DJL's and PyTorch's defaults. */
    public static EngineSettings defaults() {
        return new EngineSettings(DeviceSetting.AUTO, Optional.empty(), OptionalInt.empty(), OptionalInt.empty());
    }

    public EngineSettings withDevice(DeviceSetting newDevice) {
        return new EngineSettings(newDevice, cacheDirectory, intraOpThreads, interOpThreads);
    }

    public EngineSettings withCacheDirectory(Path directory) {
        return new EngineSettings(device, Optional.of(directory), intraOpThreads, interOpThreads);
    }

    public EngineSettings withThreads(int intraOp, int interOp) {
        return new EngineSettings(device, cacheDirectory, OptionalInt.of(intraOp), OptionalInt.of(interOp));
    }
}
