package dev.olympus.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import java.util.Comparator;
import java.util.List;

/**
 * Bodies that may be left out (claim, heartbeat, retry): {@code curl -X POST} without a body and without a
 * Content-Type is an empty request, not a 415. A body that is there must be {@code application/json} (else 415)
 * and is read and validated exactly like a declared entity: unknown fields, wrong types and constraint
 * violations are 400 {@code validation-failed}.
 */
@ApplicationScoped
public class OptionalJsonBody {

    private final ObjectMapper json;
    private final Validator validator;

    public OptionalJsonBody(ObjectMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    /** @return the body as {@code type}, or {@code empty} when there is no body */
    public <T> T read(String body, String contentType, Class<T> type, T empty) {
        if (body == null || body.isBlank()) {
            return empty;
        }
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ProblemException(415, ProblemCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", "Send application/json.");
        }
        T value;
        try {
            value = json.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping && !mapping.getPath().isEmpty()
                    ? ProblemException.validation(path(mapping), "invalid value or unknown field")
                    : ProblemException.validation("body", "malformed JSON or not an object");
        }
        if (value == null) {
            return empty;
        }
        List<ProblemException.FieldError> errors = validator.validate(value).stream()
                .map(OptionalJsonBody::error)
                .sorted(Comparator.comparing(ProblemException.FieldError::field))
                .toList();
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return value;
    }

    private static ProblemException.FieldError error(ConstraintViolation<?> violation) {
        String field = violation.getPropertyPath().toString().replace(".<list element>", "");
        return new ProblemException.FieldError(field, violation.getMessage());
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
