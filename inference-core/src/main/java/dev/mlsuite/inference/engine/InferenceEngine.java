package dev.mlsuite.inference.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The started PyTorch engine and the device that models use.
 *
 * <p>Starting sets {@code ai.djl.offline=true}, so DJL never downloads a native library or model,
 * and loads the native library from the classifier jar on the classpath. DJL loads the engine
 * once per JVM: the cache folder of the first start stays in use for the life of the process.
 */
public final class InferenceEngine {

    /** PyTorch engine name in DJL. */
    public static final String ENGINE_NAME = "PyTorch";

    private static final Logger log = LoggerFactory.getLogger(InferenceEngine.class);

    private static volatile boolean loaded;

    private final Engine engine;
    private final Device device;

    private InferenceEngine(Engine engine, Device device) {
        this.engine = engine;
        this.device = device;
    }

    /**
     * Starts the PyTorch engine offline and selects the device.
     *
     * @throws EngineStartupException when the native library is missing, the cache folder cannot be
     *     written, or {@code gpu} is requested and the engine detects no GPU
     */
    public static synchronized InferenceEngine start(EngineSettings settings) {
        Objects.requireNonNull(settings, "settings");
        long startNanos = System.nanoTime();

        System.setProperty("ai.djl.offline", "true");
        settings.cacheDirectory().ifPresent(InferenceEngine::useCacheDirectory);
        settings.intraOpThreads().ifPresent(threads -> useThreads("ai.djl.pytorch.num_threads", threads));
        settings.interOpThreads().ifPresent(threads -> useThreads("ai.djl.pytorch.num_interop_threads", threads));
        if (System.getenv(NativeLibraryCheck.LIBRARY_PATH_VARIABLE) == null) {
            NativeLibraryCheck.requireBundledLibrary(InferenceEngine.class.getClassLoader());
        }

        Engine engine = loadEngine();
        loaded = true;
        Device device = selectDevice(engine, settings.device());
        log.info("PyTorch engine {} started on {} (device setting {}) in {} ms", engine.getVersion(), device,
                settings.device().name().toLowerCase(Locale.ROOT), (System.nanoTime() - startNanos) / 1_000_000);
        return new InferenceEngine(engine, device);
    }

    /** Returns the engine started with {@link EngineSettings#defaults()}. */
    public static InferenceEngine startDefault() {
        return start(EngineSettings.defaults());
    }

    private static boolean isLoaded() {
        return loaded;
    }

    public Device device() {
        return device;
    }

    public String engineVersion() {
        return engine.getVersion();
    }

    /** Returns the number of GPUs the engine detects; zero with the CPU build of the native library. */
    public int gpuCount() {
        return engine.getGpuCount();
    }

    /** Creates a root manager on this engine's device; the caller closes it. */
    public NDManager newManager() {
        return engine.newBaseManager(device);
    }

    private static void useCacheDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new EngineStartupException("Failed to create the engine cache folder " + directory.toAbsolutePath()
                    + ". Change the setting " + EngineSettings.CACHE_DIRECTORY_SETTING + " to a writable folder.", e);
        }
        if (!Files.isWritable(directory)) {
            throw new EngineStartupException("Engine cache folder is not writable: " + directory.toAbsolutePath()
                    + ". Change the setting " + EngineSettings.CACHE_DIRECTORY_SETTING + ".");
        }
        String value = directory.toAbsolutePath().toString();
        String previous = System.getProperty("ENGINE_CACHE_DIR");
        if (previous != null && !previous.equals(value) && isLoaded()) {
            log.warn("Engine cache folder {} ignored because the engine was already loaded from {}", value, previous);
            return;
        }
        System.setProperty("ENGINE_CACHE_DIR", value);
    }

    /** Sets a DJL thread property, which PyTorch reads once when the engine loads. */
    private static void useThreads(String property, int threads) {
        if (isLoaded()) {
            String current = System.getProperty(property);
            if (!String.valueOf(threads).equals(current)) {
                log.warn("Setting {}={} ignored because the engine was already loaded with {}", property, threads,
                        current == null ? "PyTorch's default" : current);
            }
            return;
        }
        System.setProperty(property, String.valueOf(threads));
    }

    private static Engine loadEngine() {
        try {
            return Engine.getEngine(ENGINE_NAME);
        } catch (EngineException | IllegalStateException | IllegalArgumentException | UnsatisfiedLinkError e) {
            throw new EngineStartupException("Failed to load the PyTorch native library (" + NativeLibraryCheck.DEPENDENCY
                    + ") into the cache folder " + System.getProperty("ENGINE_CACHE_DIR", "~/.djl.ai")
                    + ". Check that the folder is writable or change the setting "
                    + EngineSettings.CACHE_DIRECTORY_SETTING + ": " + e.getMessage(), e);
        }
    }

    private static Device selectDevice(Engine engine, DeviceSetting setting) {
        int gpus = engine.getGpuCount();
        return switch (setting) {
            case CPU -> Device.cpu();
            case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
            case GPU -> {
                if (gpus == 0) {
                    throw new EngineStartupException("Device gpu requested but the PyTorch engine " + engine.getVersion()
                            + " detects no GPU. Set " + EngineSettings.DEVICE_SETTING + " to auto or cpu, or replace "
                            + NativeLibraryCheck.DEPENDENCY + " on the classpath with a CUDA build.");
                }
                yield Device.gpu();
            }
        };
    }
}
