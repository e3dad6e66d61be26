package dev.mlsuite.platform.inference;

import java.time.Duration;
import java.util.Optional;

import org.springframework.http.HttpStatus;

import dev.mlsuite.platform.web.ApiException;

/**
 * A request the inference pipeline did not run: the model's queue was full, or the model is not
 * available. {@link InferenceExceptionHandler} adds the {@code Retry-After} header.
 */
public class InferenceRejectedException extends ApiException {

    private final Duration retryAfter;

    private InferenceRejectedException(HttpStatus status, String kind, String title, String detail, Object value,
            String hint, Duration retryAfter) {
        super(status, kind, title, detail, value, hint);
        this.retryAfter = retryAfter;
    }

    /** 429: the batching queue of {@code model} already contains {@code queueCapacity} requests. */
    public static InferenceRejectedException queueFull(String model, int queueCapacity, Duration retryAfter) {
        return new InferenceRejectedException(HttpStatus.TOO_MANY_REQUESTS, "inference-queue-full",
                "Too many requests",
                "The request queue of model '" + model + "' is full (" + queueCapacity + " requests waiting).",
                model, "Retry after the number of seconds in the Retry-After header, or send fewer concurrent requests.",
                retryAfter);
    }

    /**
     * 429 of kind {@code kind}: a queue other than the batching queue, for example a generation queue,
     * is full, and a retry after {@code retryAfter} can succeed.
     */
    public static InferenceRejectedException tooManyRequests(String kind, String detail, Object value, String hint,
            Duration retryAfter) {
        return new InferenceRejectedException(HttpStatus.TOO_MANY_REQUESTS, kind, "Too many requests", detail, value,
                hint, retryAfter);
    }

    /** 503: {@code model} is still loading or warming up. */
    public static InferenceRejectedException notReady(String model, Duration retryAfter) {
        return new InferenceRejectedException(HttpStatus.SERVICE_UNAVAILABLE, "model-not-ready", "Model not ready",
                "Model '" + model + "' is still loading or warming up.", model,
                "Retry after the number of seconds in the Retry-After header.", retryAfter);
    }

    /** 503: {@code model} failed to load, or was closed, and cannot serve requests. */
    public static InferenceRejectedException unavailable(String model, String reason) {
        return new InferenceRejectedException(HttpStatus.SERVICE_UNAVAILABLE, "model-unavailable",
                "Model unavailable", "Model '" + model + "' cannot serve requests: " + reason, model,
                "Check the service's readiness endpoint and logs; the operators must fix the model configuration.",
                null);
    }

    /** Returns how long the caller should wait before retrying, if a retry can succeed. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
