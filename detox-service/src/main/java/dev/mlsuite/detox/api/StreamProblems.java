package dev.mlsuite.detox.api;

import dev.mlsuite.platform.web.ApiException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Problem details for the {@code error} event of a stream whose 200 status is already sent, so that a
 * failed stream never ends without saying why.
 */
public final class StreamProblems {

    private StreamProblems() {
    }

    /** Returns the problem of {@code failure}: its own for an {@link ApiException}, else 500 {@code generation-failed}. */
    public static ProblemDetail of(RuntimeException failure, String generationId) {
        ProblemDetail problem;
        if (failure instanceof ApiException api) {
            problem = api.toProblemDetail();
        } else {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                    "Generation failed after it started: " + failure.getMessage());
            problem.setType(URI.create(ApiException.PROBLEM_TYPE_BASE + "generation-failed"));
            problem.setTitle("Generation failed");
            problem.setProperty("hint", "Retry the request; the service log has the cause under this generation id.");
        }
        problem.setProperty("generationId", generationId);
        return problem;
    }
}
