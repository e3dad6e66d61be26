package dev.mlsuite.platform.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.validation.ConstraintViolationException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
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

    @ExceptionHandler(MultipartException.class)
    public ResponseEntity<ProblemDetail> handleMultipart(MultipartException exception) {
        log.info("Multipart request rejected: {}", exception.getMessage());
        String cause = exception.getMostSpecificCause().getMessage();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The multipart/form-data body could not be read: " + cause);
        problem.setType(URI.create(ApiException.PROBLEM_TYPE_BASE + "malformed-multipart"));
        problem.setTitle("Invalid request");
        problem.setProperty("value", cause);
        problem.setProperty("hint", "Send a complete multipart/form-data body with its boundary in the Content-Type "
                + "header (curl -F does this), with at most server.tomcat.max-part-count parts.");
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

    /**
     * Names the JSON path, the value and the expected type of a body that could not be bound, or the
     * unknown field and the accepted ones (when the service rejects unknown fields).
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = JsonBodyProblems.describe(exception);
        if (problem == null) {
            return super.handleHttpMessageNotReadable(exception, headers, status, request);
        }
        return ResponseEntity.badRequest().headers(headers).body(withCorrelationId(problem));
    }

    /**
     * Names the request parameter, form field or path variable whose text did not convert to the declared
     * type, for example {@code sampleFps=abc} for a number.
     */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException exception, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = exception instanceof MethodArgumentTypeMismatchException argument ? argument.getName()
                : exception.getPropertyName();
        String field = name != null ? name : "a parameter";
        Class<?> requiredType = exception.getRequiredType();
        String typeName = requiredType != null ? describeType(requiredType) : "the documented type";
        Object value = exception.getValue();
        log.info("Request rejected: {}={} is not {}", field, value, typeName);

        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The value of " + field + " is not " + typeName + ": '" + value + "'");
        problem.setType(URI.create(ApiException.PROBLEM_TYPE_BASE + "invalid-parameter"));
        problem.setTitle("Invalid request");
        problem.setProperty("field", field);
        problem.setProperty("value", String.valueOf(value));
        problem.setProperty("hint", "Send " + field + " as " + typeName + ", as the service's OpenAPI document "
                + "(/v3/api-docs) describes it.");
        return ResponseEntity.badRequest().headers(headers).body(withCorrelationId(problem));
    }

    /** Describes a target type in words a client understands: {@code Double} as "a number". */
    private static String describeType(Class<?> type) {
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == java.util.UUID.class) {
            return "a UUID";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return "a " + type.getSimpleName();
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
                "The upload is larger, or has more parts, than this service accepts.");
        problem.setType(URI.create(ApiException.PROBLEM_TYPE_BASE + "input-too-large"));
        problem.setTitle("Input too large");
        if (exception.getMaxUploadSize() >= 0) {
            problem.setProperty("value", exception.getMaxUploadSize());
        }
        problem.setProperty("hint", "Send a smaller file or fewer form fields; the limits are "
                + "spring.servlet.multipart.max-file-size, max-request-size and server.tomcat.max-part-count.");
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).headers(headers).body(withCorrelationId(problem));
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
            WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
                problem.setType(URI.create(ApiException.PROBLEM_TYPE_BASE + kindOf(statusCode)));
            }
            if (problem.getProperties() == null || !problem.getProperties().containsKey("hint")) {
                problem.setProperty("hint", hintOf(statusCode));
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

    private static String hintOf(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "Check the request against the service's OpenAPI document (/v3/api-docs or Swagger UI): "
                    + "valid JSON or form fields, required parameters present, values of the documented types.";
            case 404 -> "Check the path and id against the service's OpenAPI document.";
            case 405 -> "Use one of the methods in the Allow header.";
            case 406 -> "Accept application/json or application/problem+json.";
            case 413 -> "Send a smaller request body.";
            case 415 -> "Send the Content-Type the operation documents, e.g. application/json or multipart/form-data.";
            default -> "See the service's OpenAPI document for the expected request.";
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
