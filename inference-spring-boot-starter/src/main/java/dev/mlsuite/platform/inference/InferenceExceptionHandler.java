package dev.mlsuite.platform.inference;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.mlsuite.platform.web.CorrelationIdFilter;

/**
 * Turns {@link InferenceRejectedException} into a problem detail with a {@code Retry-After}
 * header. It is ordered before the platform's catch-all handler, which would otherwise take the
 * exception first.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class InferenceExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(InferenceExceptionHandler.class);

    @ExceptionHandler(InferenceRejectedException.class)
    public ResponseEntity<ProblemDetail> handleRejected(InferenceRejectedException exception) {
        log.info("Inference request rejected: {} ({})", exception.getMessage(), exception.kind());
        ProblemDetail problem = exception.toProblemDetail();
        String requestId = CorrelationIdFilter.currentId();
        if (requestId != null) {
            problem.setProperty("requestId", requestId);
        }

        ResponseEntity.BodyBuilder response = ResponseEntity.status(exception.status());
        exception.retryAfter().ifPresent(delay -> response.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds(delay)));
        return response.body(problem);
    }

    /** Whole seconds, rounded up, because {@code Retry-After} takes an integer number of seconds. */
    static String retryAfterSeconds(Duration delay) {
        long seconds = delay.toSeconds() + (delay.toNanosPart() > 0 ? 1 : 0);
        return Long.toString(Math.max(1, seconds));
    }
}
