package dev.mlsuite.platform.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.validation.ConstraintViolationException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure into an RFC 9457 {@link ProblemDetail} with a stable {@code type}, the
 * correlation id and, where known, the offending value and a hint.
 */
@RestControllerAdvice
public class ProblemDetailsHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsHandler.class);

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<ProblemDetail> handleApiException(ApiException exception) {
        log.info("Request rejected: {} ({})", exception.getMessage(), exception.kind());
        ProblemDetail problem = withCorrelationId(exception.toProblemDetail());
        return ResponseEntity.status(exception.status()).body(problem);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    public ResponseEntity<ProblemDetail> handleConstraintViolation(ConstraintViolationException exception) {
        List<Map<String, Object>> errors = exception.getConstraintViolations().stream()
                .map(violation -> Map.<String, Object>of(
                        "field", violation.getPropertyPath().toString(),
                        "message", violation.getMessage(),
                        "value", String.valueOf(violation.getInvalidValue())))
                .toList();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "Request validation failed: " + exception.getMessage());
        problem.setType(URI.create(ApiException.PROBLEM_TYPE_BASE + "validation-failed"));
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        problem.setProperty("hint", "Correct the listed fields and send the request again.");
        return ResponseEntity.badRequest().body(withCorrelationId(problem));
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ProblemDetail> handleUnexpected(Exception exception) {
        log.error("Request failed unexpectedly", exception);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The server failed to process the request.");
        problem.setType(URI.create(ApiException.PROBLEM_TYPE_BASE + "internal-error"));
        problem.setTitle("Internal error");
        problem.setProperty("hint", "Retry later; if it persists, report the requestId to the operators.");
        return ResponseEntity.internalServerError().body(withCorrelationId(problem));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = exception.getBindingResult().getFieldErrors().stream()
                .map(error -> Map.<String, Object>of(
                        "field", error.getField(),
                        "message", String.valueOf(error.getDefaultMessage()),
                        "value", String.valueOf(error.getRejectedValue())))
                .toList();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "Request body validation failed on " + errors.size() + " field(s).");
        problem.setType(URI.create(ApiException.PROBLEM_TYPE_BASE + "validation-failed"));
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        problem.setProperty("hint", "Correct the listed fields and send the request again.");
        return ResponseEntity.badRequest().headers(headers).body(withCorrelationId(problem));
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
            WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
                problem.setType(URI.create(ApiException.PROBLEM_TYPE_BASE + kindOf(statusCode)));
            }
            withCorrelationId(problem);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private static String kindOf(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "malformed-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "input-too-large";
            case 415 -> "unsupported-media-type";
            default -> "http-" + status.value();
        };
    }

    private static ProblemDetail withCorrelationId(ProblemDetail problem) {
        String id = CorrelationIdFilter.currentId();
        if (id != null) {
            problem.setProperty("requestId", id);
        }
        return problem;
    }

}
