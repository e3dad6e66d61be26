package dev.mlsuite.platform.inference;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.mlsuite.inference.api.TokenRecorder;

/**
 * Micrometer meters of the inference pipeline, tagged with {@code model}.
 *
 * <ul>
 * <li>{@code inference.queue.wait}: time a request waits in its model's queue;</li>
 * <li>{@code inference.preprocess}, {@code inference.forward}, {@code inference.postprocess}:
 * time of each stage of one batch;</li>
 * <li>{@code inference.batch.size}: requests per batch;</li>
 * <li>{@code inference.queue.size}: requests waiting now;</li>
 * <li>{@code inference.requests.rejected}: requests rejected because the queue was full;</li>
 * <li>{@code inference.generated.tokens}: generated tokens, whose rate is tokens per second;</li>
 * <li>{@code inference.generation.throughput}: tokens per second of each recorded generation.</li>
 * </ul>
 */
public class InferenceMetrics implements TokenRecorder {

    private static final String MODEL_TAG = "model";

    private final MeterRegistry registry;
    private final Map<String, ModelMeters> metersByModel = new ConcurrentHashMap<>();

    public InferenceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Returns the meters of one model, registering them on first use. */
    public ModelMeters forModel(String model) {
        return metersByModel.computeIfAbsent(model, this::register);
    }

    /** Registers a gauge of the number of requests waiting for {@code model}. */
    public void registerQueueSize(String model, Supplier<Number> queueSize) {
        Gauge.builder("inference.queue.size", queueSize)
                .description("Requests waiting in the model's batching queue")
                .tag(MODEL_TAG, model)
                .register(registry);
    }

    @Override
    public void record(String model, long tokens, Duration elapsed) {
        if (tokens < 0) {
            throw new IllegalArgumentException("Token count must not be negative, got " + tokens);
        }
        ModelMeters meters = forModel(model);
        meters.tokensGenerated().increment(tokens);

        double elapsedSeconds = elapsed.toNanos() / 1e9;
        if (elapsedSeconds > 0) {
            meters.tokensPerSecond().record(tokens / elapsedSeconds);
        }
    }

    private ModelMeters register(String model) {
        return new ModelMeters(
                timer("inference.queue.wait", "Time a request waits in the batching queue", model),
                timer("inference.preprocess", "Time to turn one batch of requests into model input", model),
                timer("inference.forward", "Time of the forward pass (inference) of one batch", model),
                timer("inference.postprocess", "Time to turn one batch of model output into responses", model),
                DistributionSummary.builder("inference.batch.size")
                        .description("Requests per batch")
                        .baseUnit("requests")
                        .publishPercentileHistogram()
                        .tag(MODEL_TAG, model)
                        .register(registry),
                Counter.builder("inference.requests.rejected")
                        .description("Requests rejected because the batching queue was full")
                        .tag(MODEL_TAG, model)
                        .register(registry),
                Counter.builder("inference.generated.tokens")
                        .description("Generated tokens; the rate of this counter is tokens per second")
                        .baseUnit("tokens")
                        .tag(MODEL_TAG, model)
                        .register(registry),
                DistributionSummary.builder("inference.generation.throughput")
                        .description("Tokens per second of each recorded generation")
                        .baseUnit("tokens.per.second")
                        .tag(MODEL_TAG, model)
                        .register(registry));
    }

    private Timer timer(String name, String description, String model) {
        return Timer.builder(name)
                .description(description)
                .publishPercentileHistogram()
                .tag(MODEL_TAG, model)
                .register(registry);
    }

    /** Meters of one model. */
    public record ModelMeters(Timer queueWait, Timer preprocess, Timer forward, Timer postprocess,
            DistributionSummary batchSize, Counter rejected, Counter tokensGenerated,
            DistributionSummary tokensPerSecond) {
    }
}
