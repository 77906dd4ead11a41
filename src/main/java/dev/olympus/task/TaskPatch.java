package dev.olympus.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.olympus.web.ProblemException;
import dev.olympus.web.ProblemException.FieldError;
import dev.olympus.web.StrictStrings;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON merge patch (RFC 7396) of a task. Absent members are left alone; {@code null} clears a
 * nullable field. Parsed by hand because "absent" and "null" mean different things here.
 */
public record TaskPatch(
        Set<String> present,
        TaskStatus status,
        String result,
        String comment,
        String title,
        String description,
        String assignee,
        Priority priority,
        List<String> labels,
        List<Long> blockedOn,
        Boolean reviewRequired,
        List<String> acceptanceCriteria,
        List<Task.Evidence> evidence,
        JsonNode usage) {

    /** Fields only planners (orchestrators and operators) may change. */
    static final Set<String> PLANNER_FIELDS = Set.of("title", "description", "assignee", "priority", "labels",
            "reviewRequired", "acceptanceCriteria");
    /** What a reviewer that is not the task's assignee may send: its decision and the reason for a rejection. */
    static final Set<String> REVIEWER_FIELDS = Set.of("status", "comment");
    private static final Set<String> KNOWN = Set.of("status", "result", "comment", "title", "description",
            "assignee", "priority", "labels", "blockedOn",
            "reviewRequired", "acceptanceCriteria", "evidence", "usage");

    boolean has(String field) {
        return present.contains(field);
    }

    public static TaskPatch parse(JsonNode body) {
        if (!(body instanceof ObjectNode object)) {
            throw ProblemException.validation("body", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        Set<String> present = new java.util.LinkedHashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!KNOWN.contains(name)) {
                errors.add(new FieldError(name, "unknown field"));
            }
            present.add(name);
        }
        TaskStatus status = null;
        if (present.contains("status")) {
            String value = text(object, "status", false, 0, errors);
            if (value != null) {
                try {
                    status = TaskStatus.fromWire(value);
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError("status", "must be one of todo, in_progress, in_review, blocked, done, failed, canceled"));
                }
            }
        }
        Priority priority = null;
        if (present.contains("priority")) {
            String value = text(object, "priority", false, 0, errors);
            if (value != null) {
                try {
                    priority = Priority.fromWire(value);
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError("priority", "must be one of critical, high, medium, low"));
                }
            }
        }
        String title = present.contains("title") ? text(object, "title", false, 200, errors) : null;
        if (title != null && StrictStrings.blank(title)) {
            errors.add(new FieldError("title", StrictStrings.BLANK_MESSAGE));
        }
        String description = present.contains("description") ? text(object, "description", true, 65536, errors) : null;
        String result = present.contains("result") ? text(object, "result", true, 65536, errors) : null;
        String comment = present.contains("comment") ? text(object, "comment", false, 16384, errors) : null;
        if (comment != null && StrictStrings.blank(comment)) {
            // A reason made of whitespace is no reason (it would otherwise satisfy the block-reason rule).
            errors.add(new FieldError("comment", StrictStrings.BLANK_MESSAGE));
        }
        String assignee = present.contains("assignee") ? text(object, "assignee", true, 32, errors) : null;
        if (assignee != null && !TaskRequests.AGENT_NAME.matcher(assignee).matches()) {
            errors.add(new FieldError("assignee", "must be an agent name"));
        }
        List<String> labels = present.contains("labels") ? labels(object.get("labels"), errors) : null;
        List<Long> blockedOn = present.contains("blockedOn") ? taskIds(object.get("blockedOn"), "blockedOn", errors) : null;
        Boolean reviewRequired = null;
        if (present.contains("reviewRequired")) {
            JsonNode node = object.get("reviewRequired");
            if (node.isBoolean()) {
                reviewRequired = node.booleanValue();
            } else {
                errors.add(new FieldError("reviewRequired", "must be true or false"));
            }
        }
        List<String> criteria = present.contains("acceptanceCriteria") ? criteria(object.get("acceptanceCriteria"), errors) : null;
        List<Task.Evidence> evidence = present.contains("evidence") ? Evidences.parse(object.get("evidence"), errors) : null;
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        // usage is read by the service (UsageRecorder), which knows the per-report ceilings.
        return new TaskPatch(Set.copyOf(present), status, result, comment, title, description, assignee, priority, labels,
                blockedOn, reviewRequired, criteria, evidence, object.get("usage"));
    }

    private static String text(ObjectNode object, String field, boolean nullable, int maxLength, List<FieldError> errors) {
        JsonNode node = object.get(field);
        if (node.isNull()) {
            if (!nullable) {
                errors.add(new FieldError(field, "must not be null"));
            }
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        String value = node.textValue();
        if (!StrictStrings.storable(value)) {
            errors.add(new FieldError(field, "must not contain NUL or unpaired surrogates"));
            return null;
        }
        if (maxLength > 0 && value.length() > maxLength) {
            errors.add(new FieldError(field, "must be at most " + maxLength + " characters"));
        }
        return value;
    }

    /** A non-empty array of up to 100 task ids (positive integers), duplicates dropped. */
    private static List<Long> taskIds(JsonNode node, String field, List<FieldError> errors) {
        if (!node.isArray() || node.isEmpty()) {
            errors.add(new FieldError(field, "must be a non-empty array of task ids"));
            return null;
        }
        if (node.size() > 100) {
            errors.add(new FieldError(field, "at most 100 task ids"));
        }
        java.util.LinkedHashSet<Long> ids = new java.util.LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode id = node.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() <= 0) {
                errors.add(new FieldError(field + "[" + i + "]", "must be a task id (a positive integer)"));
            } else {
                ids.add(id.longValue());
            }
        }
        return List.copyOf(ids);
    }

    /** Up to 20 non-blank criteria of at most 500 characters; null clears them. */
    private static List<String> criteria(JsonNode node, List<FieldError> errors) {
        if (node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > 20) {
            errors.add(new FieldError("acceptanceCriteria", "must be an array of at most 20 strings"));
            return null;
        }
        List<String> criteria = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode c = node.get(i);
            if (!c.isTextual() || !StrictStrings.storable(c.textValue()) || StrictStrings.blank(c.textValue())
                    || c.textValue().length() > 500) {
                errors.add(new FieldError("acceptanceCriteria[" + i + "]", "must be a non-blank text of at most 500 characters"));
            } else {
                criteria.add(c.textValue());
            }
        }
        return criteria;
    }

    private static List<String> labels(JsonNode node, List<FieldError> errors) {
        if (node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            errors.add(new FieldError("labels", "must be an array of strings"));
            return null;
        }
        if (node.size() > 32) {
            errors.add(new FieldError("labels", "at most 32 labels"));
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode label = node.get(i);
            if (!label.isTextual() || !TaskRequests.LABEL_PATTERN.matcher(label.textValue()).matches()) {
                errors.add(new FieldError("labels[" + i + "]", TaskRequests.LABEL_MESSAGE));
            } else {
                labels.add(label.textValue());
            }
        }
        return labels;
    }
}
