package dev.mlsuite.inference.engine;

import java.util.Locale;

/** Device setting of the models: {@code auto} takes a GPU when the engine detects one, else the CPU. */
public enum DeviceSetting {
    AUTO,
    CPU,
    GPU;

    /**
     * Parses {@code auto}, {@code cpu} or {@code gpu}, ignoring case.
     *
     * @throws IllegalArgumentException naming the bad value and the accepted ones
     */
    public static DeviceSetting parse(String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Invalid device '" + value + "': set " + EngineSettings.DEVICE_SETTING + " to auto, cpu or gpu", e);
        }
    }
}
