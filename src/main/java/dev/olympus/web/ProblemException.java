package dev.olympus.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A failure the client can act on. Mapped once, by {@link ProblemMapper}, to an RFC 9457
 * problem+json response carrying the stable machine-readable {@code code}.
 */
public class ProblemException extends RuntimeException {

    /**
     * The members RFC 9457 defines and Olympus always writes: an extension of the same name would give the body a
     * second member of that name (a client's parser keeps one of the two). The resource's state goes in
     * {@code currentStatus}, {@code currentVersion} and the like.
     */
    public static final Set<String> STANDARD_MEMBERS = Set.of("type", "title", "status", "detail", "code", "instance");

    private final int status;
    private final String code;
    private final String title;
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ProblemException(int status, String code, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
    }

    public ProblemException with(String extension, Object value) {
        if (STANDARD_MEMBERS.contains(extension)) {
            throw new IllegalArgumentException("'" + extension + "' is a standard problem member, not an extension");
        }
        extensions.put(extension, value);
        return this;
    }

    public ProblemException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() { return status; }
    public String code() { return code; }
    public String title() { return title; }
    public String detail() { return getMessage(); }
    public Map<String, Object> extensions() { return extensions; }
    public Map<String, String> headers() { return headers; }

    public static ProblemException validation(List<FieldError> errors) {
        String detail = errors.isEmpty() ? "The request is invalid."
                : errors.getFirst().field() + ": " + errors.getFirst().message();
        return new ProblemException(400, ProblemCode.VALIDATION_FAILED, "Validation failed", detail).with("errors", errors);
    }

    public static ProblemException validation(String field, String message) {
        return validation(List.of(new FieldError(field, message)));
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(404, ProblemCode.NOT_FOUND, "Not found", what + " does not exist.");
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, ProblemCode.FORBIDDEN, "Forbidden", detail);
    }

    public static ProblemException conflict(String code, String title, String detail) {
        return new ProblemException(409, code, title, detail);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, ProblemCode.UNAUTHORIZED, "Unauthorized", detail)
                .header("WWW-Authenticate", "Bearer realm=\"olympus\"");
    }

    /** One invalid field of a request: {@code field} is a JSON path such as {@code labels[2]}. */
    public record FieldError(String field, String message) {}
}
