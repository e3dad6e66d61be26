package dev.mlsuite.platform.web;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Problem details for a JSON request body that Jackson could not bind: they name the JSON path of the
 * field, the value and the expected type, or the unknown field and the accepted ones.
 */
final class JsonBodyProblems {

    private JsonBodyProblems() {
    }

    /** Returns the problem for {@code failure}, or null when it is no Jackson read failure. */
    static ProblemDetail describe(Throwable failure) {
        JacksonException jackson = findJacksonCause(failure);
        if (jackson == null) {
            return null;
        }
        String path = jsonPath(jackson.getPath());
        if (jackson instanceof UnrecognizedPropertyException unknown) {
            return unknownField(unknown, path);
        }
        if (jackson instanceof InvalidFormatException format) {
            return wrongType(path, expectedType(format.getTargetType()), format.getValue());
        }
        if (jackson instanceof InputCoercionException coercion) {
            return wrongType(path, expectedType(coercion.getTargetType()), null);
        }
        if (jackson instanceof MismatchedInputException mismatch) {
            return wrongType(path, expectedType(mismatch.getTargetType()), null);
        }
        if (jackson instanceof StreamReadException) {
            ProblemDetail problem = problem("malformed-request", "The request body is not valid JSON: "
                    + jackson.getOriginalMessage(), "Send a JSON document, for example one built with a JSON library.");
            if (jackson.getLocation() != null) {
                problem.setProperty("line", jackson.getLocation().getLineNr());
                problem.setProperty("column", jackson.getLocation().getColumnNr());
            }
            return problem;
        }
        return null;
    }

    private static ProblemDetail unknownField(UnrecognizedPropertyException unknown, String path) {
        List<String> accepted = acceptedFields(unknown.getKnownPropertyIds());
        ProblemDetail problem = problem("unknown-field", "Unknown field '" + unknown.getPropertyName() + "' at "
                + path + ". The accepted fields there are " + String.join(", ", accepted),
                "Remove the field or correct its name to one of " + String.join(", ", accepted) + ".");
        problem.setProperty("value", unknown.getPropertyName());
        problem.setProperty("path", path);
        problem.setProperty("accepted", accepted);
        return problem;
    }

    private static ProblemDetail wrongType(String path, String expected, Object value) {
        String detail = (path.equals("$") ? "The request body" : "Field " + path) + " must be " + expected
                + (value == null ? "" : ", got '" + value + "'");
        ProblemDetail problem = problem("malformed-request", detail,
                "Send " + path + " as " + expected + ", as the service's OpenAPI document describes.");
        problem.setProperty("path", path);
        problem.setProperty("expectedType", expected);
        if (value != null) {
            problem.setProperty("value", String.valueOf(value));
        }
        return problem;
    }

    private static ProblemDetail problem(String kind, String detail, String hint) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setType(URI.create(ApiException.PROBLEM_TYPE_BASE + kind));
        problem.setTitle("Invalid request");
        problem.setProperty("hint", hint);
        return problem;
    }

    private static JacksonException findJacksonCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException jackson) {
                return jackson;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    /** Writes a Jackson reference path as a JSON path: {@code $.steering.tier}, {@code $.features[2]}. */
    static String jsonPath(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder("$");
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                path.append('.').append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** Names a Java target type as a JSON type, with the range of integer types. */
    static String expectedType(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == Integer.class || type == int.class) {
            return "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == Long.class || type == long.class) {
            return "an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (type == Short.class || type == short.class || type == BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == float.class || type == double.class
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || !type.isPrimitive()) {
            return "an object";
        }
        return "a value of type " + type.getSimpleName();
    }

    private static List<String> acceptedFields(Collection<Object> known) {
        if (known == null) {
            return List.of();
        }
        return known.stream().filter(Objects::nonNull).map(String::valueOf).sorted().toList();
    }
}
