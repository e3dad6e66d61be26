package dev.mlsuite.platform.inference;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.mlsuite.inference.engine.DeviceSetting;
import dev.mlsuite.inference.engine.EngineSettings;

/**
 * Models a service loads at start-up and how their requests are batched ({@code inference.*}).
 *
 * @param loadInBackground whether models load on a background thread while the server starts.
 *                         Readiness then stays DOWN, and requests wait in the queue, until
 *                         warm-up succeeds. When {@code false}, start-up blocks until every model
 *                         is warm and fails when one cannot be loaded.
 * @param device           device of every model without its own setting: {@code auto} takes the
 *                         first GPU where the engine detects one, else the CPU
 * @param engineCacheDir   folder into which DJL extracts the PyTorch native library, or
 *                         {@code null} for DJL's default ({@code ENGINE_CACHE_DIR}, else
 *                         {@code ~/.djl.ai})
 * @param intraOpThreads   threads PyTorch uses inside one operation, or {@code null} for
 *                         PyTorch's default of one per core
 * @param interOpThreads   threads PyTorch uses to run independent operations, or {@code null}
 *                         for PyTorch's default
 * @param batching         batching defaults for every model
 * @param models           models by name
 */
@ConfigurationProperties("inference")
@Validated
public record InferenceProperties(
        @DefaultValue("true") boolean loadInBackground,
        @NotNull @DefaultValue("auto") DeviceSetting device,
        Path engineCacheDir,
        @Min(1) Integer intraOpThreads,
        @Min(1) Integer interOpThreads,
        @Valid @NotNull @DefaultValue Batching batching,
        Map<String, @Valid Model> models) {

    public InferenceProperties {
        models = models == null ? Map.of() : models;
    }

    /**
     * Dynamic micro-batching of one model's requests. A batch runs as soon as
     * {@code maxBatchSize} requests wait, or when the oldest waiting request has waited
     * {@code maxDelay}, whichever comes first.
     *
     * @param maxBatchSize  maximum number of requests in one forward pass
     * @param maxDelay      maximum time the oldest request waits for the batch to fill
     * @param queueCapacity maximum number of waiting requests; further requests are rejected
     *                      with 429 Too Many Requests
     * @param retryAfter    value of the {@code Retry-After} header sent with 429 and 503
     *                      responses, rounded up to whole seconds
     */
    public record Batching(
            @DefaultValue("8") @Min(1) int maxBatchSize,
            @DefaultValue("5ms") @NotNull @DurationMin(millis = 0) Duration maxDelay,
            @DefaultValue("256") @Min(1) int queueCapacity,
            @DefaultValue("1s") @NotNull @DurationMin(seconds = 1) Duration retryAfter) {
    }

    /**
     * One model.
     *
     * @param type     type of the {@link dev.mlsuite.inference.api.ModelFactory} that builds it
     * @param path     model file or directory; must exist when set
     * @param device   {@code auto}, {@code cpu} or {@code gpu}; {@code null} inherits
     *                 {@code inference.device}
     * @param options  factory-specific settings
     * @param batching overrides of the batching defaults for this model; unset values inherit
     */
    public record Model(
            @NotBlank String type,
            Path path,
            DeviceSetting device,
            Map<String, String> options,
            @Valid BatchingOverrides batching) {

        public Model {
            options = options == null ? Map.of() : options;
        }
    }

    /**
     * Per-model batching settings; a {@code null} value inherits from {@code inference.batching}.
     *
     * @param maxBatchSize  maximum number of requests in one forward pass
     * @param maxDelay      maximum time the oldest request waits for the batch to fill
     * @param queueCapacity maximum number of waiting requests
     */
    public record BatchingOverrides(
            @Min(1) Integer maxBatchSize,
            @DurationMin(millis = 0) Duration maxDelay,
            @Min(1) Integer queueCapacity) {
    }

    /** Returns the settings the PyTorch engine starts with. */
    public EngineSettings engineSettings() {
        return new EngineSettings(device, Optional.ofNullable(engineCacheDir), optional(intraOpThreads),
                optional(interOpThreads));
    }

    private static OptionalInt optional(Integer value) {
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }

    /** Returns the device setting of {@code model}: its own, else {@code inference.device}. */
    public DeviceSetting deviceOf(Model model) {
        return model.device() != null ? model.device() : device;
    }

    /** Returns the batching settings of {@code model}: its overrides over the defaults. */
    public Batching batchingOf(Model model) {
        BatchingOverrides overrides = model.batching();
        if (overrides == null) {
            return batching;
        }
        return new Batching(
                overrides.maxBatchSize() != null ? overrides.maxBatchSize() : batching.maxBatchSize(),
                overrides.maxDelay() != null ? overrides.maxDelay() : batching.maxDelay(),
                overrides.queueCapacity() != null ? overrides.queueCapacity() : batching.queueCapacity(),
                batching.retryAfter());
    }
}
