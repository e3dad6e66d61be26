package dev.mlsuite.inference.api;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Device a model is placed on, as configured: {@code auto}, {@code cpu} or {@code gpu}. */
public enum DeviceSelection {

    /** The first GPU where the engine detects one, else the CPU. */
    AUTO,

    /** The CPU, even where a GPU is present. */
    CPU,

    /** The first GPU. Resolving fails where the engine detects none. */
    GPU;

    /**
     * Resolves the selection against {@code engine}.
     *
     * @throws IllegalStateException for {@link #GPU} when the engine detects no GPU
     */
    public Device resolve(Engine engine) {
        int gpuCount = engine.getGpuCount();
        return switch (this) {
            case AUTO -> gpuCount > 0 ? Device.gpu() : Device.cpu();
            case CPU -> Device.cpu();
            case GPU -> {
                if (gpuCount == 0) {
                    throw new IllegalStateException("Device 'gpu' was requested but the " + engine.getEngineName()
                            + " engine detects no GPU; set the device to 'cpu' or 'auto', or install a GPU build of "
                            + "the engine's native library");
                }
                yield Device.gpu();
            }
        };
    }
}
