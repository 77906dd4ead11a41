package dev.olympus.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Ends a command with an exit code and a problem (RFC 9457 shaped JSON) for stderr: the server's own problem
 * for HTTP errors, or one made here (with a {@code code} but no {@code status}) for errors before any request.
 */
final class CliException extends RuntimeException {

    final int exitCode;
    final transient ObjectNode problem;

    CliException(int exitCode, ObjectNode problem, Throwable cause) {
        super(problem.path("detail").asText(problem.path("title").asText()), cause);
        this.exitCode = exitCode;
        this.problem = problem;
    }

    /** A problem detected by the CLI itself. */
    static CliException local(int exitCode, String code, String detail) {
        return local(exitCode, code, detail, null);
    }

    static CliException local(int exitCode, String code, String detail, Throwable cause) {
        ObjectNode problem = Json.MAPPER.createObjectNode();
        problem.put("code", code);
        problem.put("title", switch (exitCode) {
            case Exit.USAGE -> "Usage error";
            case Exit.UNAVAILABLE -> "Service unavailable";
            case Exit.THROTTLED -> "Throttled";
            default -> "Error";
        });
        problem.put("detail", detail);
        return new CliException(exitCode, problem, cause);
    }

    static CliException usage(String detail) {
        return local(Exit.USAGE, "usage", detail);
    }

    String code() {
        return problem.path("code").asText("");
    }
}
