package dev.mlsuite.platform.web;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A request failure that becomes an RFC 9457 problem detail: a stable {@code type} per kind of
 * failure, the offending value and a hint that tells the caller what to do next.
 */
public class ApiException extends RuntimeException {

    /** Base of every problem {@code type} URI; the kind is appended, e.g. {@code /problems/input-too-large}. */
    public static final String PROBLEM_TYPE_BASE = "/problems/";

    private final HttpStatus status;
    private final String kind;
    private final String title;
    private final Object value;
    private final String hint;

    public ApiException(HttpStatus status, String kind, String title, String detail, Object value, String hint) {
        super(detail);
        this.status = status;
        this.kind = kind;
        this.title = title;
        this.value = value;
        this.hint = hint;
    }

    public static ApiException badRequest(String kind, String detail, Object value, String hint) {
        return new ApiException(HttpStatus.BAD_REQUEST, kind, "Invalid request", detail, value, hint);
    }

    public static ApiException notFound(String kind, String detail, Object value, String hint) {
        return new ApiException(HttpStatus.NOT_FOUND, kind, "Not found", detail, value, hint);
    }

    public static ApiException tooLarge(String detail, Object value, String hint) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "input-too-large", "Input too large", detail, value,
                hint);
    }

    public HttpStatus status() {
        return status;
    }

    public String kind() {
        return kind;
    }

    public Object value() {
        return value;
    }

    public String hint() {
        return hint;
    }

    /** Builds the problem detail; the correlation id is added by the exception handler. */
    public ProblemDetail toProblemDetail() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, getMessage());
        problem.setType(URI.create(PROBLEM_TYPE_BASE + kind));
        problem.setTitle(title);
        if (value != null) {
            problem.setProperty("value", value);
        }
        if (hint != null) {
            problem.setProperty("hint", hint);
        }
        return problem;
    }
}
