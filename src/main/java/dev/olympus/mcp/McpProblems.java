package dev.olympus.mcp;

import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import dev.olympus.web.ProblemMapper;
import io.quarkus.logging.Log;
import io.vertx.pgclient.PgException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * Failures as MCP callers see them: the same problems (status and stable {@code code}) that {@link ProblemMapper}
 * gives REST clients, so an agent reacts to {@code forbidden}, {@code block-reason-required} or {@code rate-limited}
 * the same way whichever door it came through.
 */
final class McpProblems {

    private McpProblems() {}

    /** Any failure as a problem; what no rule explains is logged and becomes a 500 {@code internal-error}. */
    static ProblemException toProblem(Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (e instanceof ProblemException problem) {
            return problem;
        }
        if (e instanceof PgException pg && pg.getSqlState() != null) {
            String state = pg.getSqlState();
            if (state.startsWith("23")) {
                return new ProblemException(409, ProblemCode.CONSTRAINT_VIOLATION, "Conflict", "The change conflicts with stored data.");
            }
            if (Set.of("22001", "22P02", "22021", "54000").contains(state)) {
                return ProblemException.validation("arguments", "a value is out of range or not valid text");
            }
        }
        if (ProblemMapper.isDatabaseUnavailable(e)) {
            return new ProblemException(503, ProblemCode.UNAVAILABLE, "Service unavailable",
                    "The database is not reachable; retry shortly.").header("Retry-After", "1");
        }
        Log.errorf(e, "Unexpected failure in an MCP call");
        return new ProblemException(500, ProblemCode.INTERNAL_ERROR, "Internal error",
                "The server failed; the failure has been logged.");
    }

    /**
     * The body of a tool error: {@code code}, {@code status}, {@code title}, {@code detail}, the problem's extensions
     * (such as {@code errors} or {@code existingTaskId}) and, when the problem asks the client to wait,
     * {@code retryAfter} in seconds.
     */
    static Map<String, Object> body(ProblemException problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", problem.code());
        body.put("status", problem.status());
        body.put("title", problem.title());
        body.put("detail", problem.detail());
        body.putAll(problem.extensions());
        String retryAfter = problem.headers().get("Retry-After");
        if (retryAfter != null) {
            try {
                body.put("retryAfter", Long.parseLong(retryAfter.trim()));
            } catch (NumberFormatException e) {
                body.put("retryAfter", retryAfter);
            }
        }
        return body;
    }

    /** Bean Validation violations as the same 400 {@code validation-failed} REST answers. */
    static ProblemException validation(Set<? extends ConstraintViolation<?>> violations) {
        List<ProblemException.FieldError> errors = violations.stream()
                .map(v -> new ProblemException.FieldError(field(v.getPropertyPath()), v.getMessage()))
                .sorted(Comparator.comparing(ProblemException.FieldError::field))
                .toList();
        return ProblemException.validation(errors);
    }

    /** {@code labels[2]} rather than {@code labels[2].<list element>}. */
    private static String field(Path path) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getKind() != ElementKind.CONTAINER_ELEMENT && node.getName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(node.getName());
            }
            if (node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}
