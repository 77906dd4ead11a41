package dev.olympus.web;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/** The RFC 9457 body. Extensions (such as {@code errors} or {@code existingTaskId}) sit beside the standard members. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "code", "instance"})
public record Problem(String type, String title, int status, String detail, String code, String instance,
                      @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "urn:olympus:problem:";

    public static Problem of(ProblemException e, String instance) {
        return new Problem(TYPE_PREFIX + e.code(), e.title(), e.status(), e.detail(), e.code(), instance, e.extensions());
    }

    @JsonAnyGetter
    public Map<String, Object> any() {
        return extensions == null ? Map.of() : extensions;
    }
}
