package dev.olympus.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.pgclient.PgException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.ConnectException;
import java.util.Comparator;
import java.util.List;

/**
 * The one place where failures become problem+json. Services throw {@link ProblemException};
 * everything else is translated here so that no client ever sees a stack trace.
 */
public class ProblemMapper {

    @ServerExceptionMapper(priority = 1)
    public Response problem(ProblemException e, HttpServerRequest request) {
        return toResponse(e, request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response unknownField(UnrecognizedPropertyException e, HttpServerRequest request) {
        return toResponse(ProblemException.validation(path(e), "unknown field"), request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response wrongType(InvalidFormatException e, HttpServerRequest request) {
        String field = path(e);
        // A text refused by StrictStrings was a string: only its content is wrong.
        boolean badText = e.getTargetType() == String.class && e.getValue() instanceof String;
        return toResponse(ProblemException.validation(field.isEmpty() ? "body" : field,
                badText ? "invalid value" : expected(e.getTargetType(), "invalid value")), request);
    }

    /** What a value of the wrong type ({@link StrictTypes}) should have been; {@code otherwise} when it cannot tell. */
    private static String expected(Class<?> target, String otherwise) {
        if (target == String.class) {
            return "must be a string";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "must be true or false";
        }
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class
                || target == Short.class || target == short.class) {
            return "must be an integer";
        }
        if (target != null && Number.class.isAssignableFrom(target) || target == double.class || target == float.class) {
            return "must be a number";
        }
        return otherwise;
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatch(MismatchedInputException e, HttpServerRequest request) {
        String field = path(e);
        return toResponse(ProblemException.validation(field.isEmpty() ? "body" : field,
                field.isEmpty() ? "the body must be a JSON object" : expected(e.getTargetType(), "wrong type")), request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response mapping(JsonMappingException e, HttpServerRequest request) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return unknownField(unknown, request);
        }
        if (e instanceof InvalidFormatException invalid) {
            return wrongType(invalid, request);
        }
        if (e instanceof MismatchedInputException mismatched) {
            return mismatch(mismatched, request);
        }
        String field = path(e);
        return toResponse(ProblemException.validation(field.isEmpty() ? "body" : field, "invalid value"), request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response malformed(JsonProcessingException e, HttpServerRequest request) {
        return toResponse(ProblemException.validation("body", "malformed JSON"), request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response constraint(ConstraintViolationException e, HttpServerRequest request) {
        List<ProblemException.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new ProblemException.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(ProblemException.FieldError::field))
                .toList();
        return toResponse(ProblemException.validation(errors), request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response http(WebApplicationException e, HttpServerRequest request) {
        // The JSON reader wraps Jackson's failures; unwrap them to name the offending field.
        if (e.getCause() instanceof JsonMappingException mapping) {
            return mapping(mapping, request);
        }
        if (e.getCause() instanceof JsonProcessingException malformed) {
            return malformed(malformed, request);
        }
        int status = e.getResponse().getStatus();
        ProblemException problem = switch (status) {
            case 404 -> new ProblemException(404, ProblemCode.NOT_FOUND, "Not found", "No resource at this path.");
            case 405 -> new ProblemException(405, ProblemCode.METHOD_NOT_ALLOWED, "Method not allowed",
                    "This resource does not support " + request.method() + ".");
            case 406 -> new ProblemException(406, ProblemCode.NOT_ACCEPTABLE, "Not acceptable",
                    "This resource answers application/json.");
            case 413 -> new ProblemException(413, ProblemCode.PAYLOAD_TOO_LARGE, "Payload too large",
                    "The body exceeds 256 KiB.");
            case 415 -> new ProblemException(415, ProblemCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
                    "Send application/json.");
            case 400 -> ProblemException.validation("request", e.getMessage() == null ? "bad request" : e.getMessage());
            default -> status >= 500
                    ? internal(e)
                    : new ProblemException(status, "http-" + status, "HTTP " + status, e.getMessage());
        };
        return toResponse(problem, request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response database(PgException e, HttpServerRequest request) {
        // Constraint violations that slipped past validation are the client's fault, not ours.
        String state = e.getSqlState();
        if (state != null && state.startsWith("23")) {
            return toResponse(new ProblemException(409, ProblemCode.CONSTRAINT_VIOLATION, "Conflict",
                    "The change conflicts with stored data."), request);
        }
        if ("22001".equals(state) || "22P02".equals(state) || "22021".equals(state) || "54000".equals(state)) {
            return toResponse(ProblemException.validation("body", "a value is out of range or not valid text"), request);
        }
        return toResponse(internal(e), request);
    }

    @ServerExceptionMapper(priority = 2)
    public Response unexpected(Throwable e, HttpServerRequest request) {
        if (isDatabaseUnavailable(e)) {
            return toResponse(new ProblemException(503, ProblemCode.UNAVAILABLE, "Service unavailable",
                    "The database is not reachable; retry shortly.").header("Retry-After", "1"), request);
        }
        return toResponse(internal(e), request);
    }

    private static ProblemException internal(Throwable e) {
        Log.errorf(e, "Unexpected failure");
        return new ProblemException(500, ProblemCode.INTERNAL_ERROR, "Internal error",
                "The server failed; the failure has been logged.");
    }

    public static boolean isDatabaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof io.vertx.core.VertxException && String.valueOf(t.getMessage()).contains("closed")
                    || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof io.vertx.core.impl.NoStackTraceTimeoutException) {
                return true;
            }
        }
        return false;
    }

    public static Response toResponse(ProblemException e, HttpServerRequest request) {
        Response.ResponseBuilder builder = Response.status(e.status())
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(e, request == null ? null : request.path()));
        e.headers().forEach(builder::header);
        return builder.build();
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) path.append('.');
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String field(ConstraintViolation<?> v) {
        // "create.request.title" -> "title": the method and parameter names mean nothing to a client.
        String path = v.getPropertyPath().toString();
        String[] parts = path.split("\\.");
        return parts.length > 2 ? String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length)) : parts[parts.length - 1];
    }
}
