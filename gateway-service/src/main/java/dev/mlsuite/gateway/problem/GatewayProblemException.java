package dev.mlsuite.gateway.problem;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A request failure raised by the gateway itself, rendered as an RFC 9457 problem detail by
 * {@link ProblemDetailsExceptionHandler}: a stable {@code type} per kind of failure, the
 * offending value where it is not a secret, a hint, and extra response headers such as
 * {@code Retry-After}.
 *
 * <p>The model services raise the starter's {@code dev.mlsuite.platform.web.ApiException}, which
 * builds the same body. The gateway keeps its own class because it does not depend on the
 * starter: the starter brings Spring MVC, which would make Spring Boot start the gateway as a
 * servlet application, and JPA, Flyway and DJL, which the gateway does not use. This class adds
 * the {@code service} member and response headers.
 */
public class GatewayProblemException extends RuntimeException {

    /** Base of every problem {@code type} URI; the kind is appended, e.g. {@code /problems/rate-limited}. */
    public static final String PROBLEM_TYPE_BASE = "/problems/";

    private final HttpStatus status;
    private final String kind;
    private final String title;
    private final Object value;
    private final String hint;
    private final String service;
    private final HttpHeaders headers = new HttpHeaders();

    public GatewayProblemException(HttpStatus status, String kind, String title, String detail, Object value,
            String hint, String service) {
        super(detail);
        this.status = status;
        this.kind = kind;
        this.title = title;
        this.value = value;
        this.hint = hint;
        this.service = service;
    }

    /** Adds a response header, e.g. {@code Retry-After}, sent with the problem detail. */
    public GatewayProblemException withHeader(String name, String headerValue) {
        headers.set(name, headerValue);
        return this;
    }

    public HttpStatus status() {
        return status;
    }

    public String kind() {
        return kind;
    }

    public HttpHeaders headers() {
        return headers;
    }

    /** Builds the problem detail without the correlation id, which the exception handler adds. */
    public ProblemDetail toProblemDetail() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, getMessage());
        problem.setType(URI.create(PROBLEM_TYPE_BASE + kind));
        problem.setTitle(title);
        if (service != null) {
            problem.setProperty("service", service);
        }
        if (value != null) {
            problem.setProperty("value", value);
        }
        if (hint != null) {
            problem.setProperty("hint", hint);
        }
        return problem;
    }
}
