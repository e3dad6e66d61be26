package dev.mlsuite.inference.api;

import java.time.Duration;

/**
 * Receives counts of generated tokens, so that a metrics system can report tokens per second
 * without the generator depending on it.
 */
@FunctionalInterface
public interface TokenRecorder {

    /** Recorder that drops every count. */
    TokenRecorder NONE = (model, tokens, elapsed) -> {
    };

    /**
     * Records that {@code model} generated {@code tokens} tokens in {@code elapsed} wall-clock
     * time, e.g. once per finished generation or once per streamed chunk.
     */
    void record(String model, long tokens, Duration elapsed);
}
