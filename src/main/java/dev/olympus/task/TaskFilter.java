package dev.olympus.task;

import dev.olympus.auth.Caller;
import dev.olympus.web.Cursors;
import dev.olympus.web.ProblemException;
import dev.olympus.web.ProblemException.FieldError;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The filters of {@code GET /api/v1/tasks}, parsed and validated from raw query parameters so that a bad
 * value gets a 400 naming the parameter.
 */
public record TaskFilter(
        List<String> assignees,
        List<TaskStatus> statuses,
        List<Priority> priorities,
        List<String> labels,
        Boolean ready,
        Boolean needsAttention,
        List<String> createdBy,
        Instant updatedSince,
        String q,
        Long parentId,
        Integer afterRank,
        Long afterId,
        int limit) {

    /** Raw query parameters as the resource received them. */
    public record Params(String assignee, String status, String priority, String label, String ready,
                  String needsAttention, String createdBy, String updatedSince, String q, String cursor,
                         String parentId) {

        public Params(String assignee, String status, String priority, String label, String ready,
                      String needsAttention, String createdBy, String updatedSince, String q, String cursor) {
            this(assignee, status, priority, label, ready, needsAttention, createdBy, updatedSince, q, cursor, null);
        }
    }

    public static TaskFilter parse(Params p, Caller caller, int limit) {
        List<FieldError> errors = new ArrayList<>();
        List<String> assignees = list(p.assignee(), "assignee", errors, value -> {
            String name = "me".equals(value) ? caller.name() : value;
            return TaskRequests.AGENT_NAME.matcher(name).matches() ? name : null;
        });
        List<TaskStatus> statuses = list(p.status(), "status", errors, value -> enumValue(value, TaskStatus::fromWire));
        List<Priority> priorities = list(p.priority(), "priority", errors, value -> enumValue(value, Priority::fromWire));
        List<String> labels = list(p.label(), "label", errors,
                value -> TaskRequests.LABEL_PATTERN.matcher(value).matches() ? value : null);
        List<String> createdBy = list(p.createdBy(), "createdBy", errors, value -> {
            String name = "me".equals(value) ? caller.name() : value;
            return TaskRequests.AGENT_NAME.matcher(name).matches() ? name : null;
        });
        Boolean ready = bool(p.ready(), "ready", errors);
        Boolean attention = bool(p.needsAttention(), "needsAttention", errors);
        Instant updatedSince = null;
        if (p.updatedSince() != null) {
            try {
                updatedSince = Instant.parse(p.updatedSince());
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("updatedSince", "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z"));
            }
        }
        String q = p.q();
        if (q != null && (q.isBlank() || q.length() > 200)) {
            errors.add(new FieldError("q", "must be 1..200 characters"));
        }
        Long parentId = null;
        if (p.parentId() != null) {
            try {
                parentId = Long.parseLong(p.parentId().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
            if (parentId == null || parentId <= 0) {
                errors.add(new FieldError("parentId", "must be a task id (a positive integer)"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        Integer afterRank = null;
        Long afterId = null;
        if (p.cursor() != null) {
            String[] parts = Cursors.decode(p.cursor(), 2);
            afterRank = (int) Cursors.decodeLong(parts[0]);
            afterId = Cursors.decodeLong(parts[1]);
        }
        return new TaskFilter(assignees, statuses, priorities, labels, ready, attention, createdBy, updatedSince,
                q, parentId, afterRank, afterId, limit);
    }

    private static <T> List<T> list(String raw, String field, List<FieldError> errors, Function<String, T> parse) {
        if (raw == null) {
            return List.of();
        }
        List<T> values = new ArrayList<>();
        List<String> parts = Arrays.stream(raw.split(",", -1)).map(String::trim).toList();
        if (parts.size() > 50) {
            errors.add(new FieldError(field, "at most 50 values"));
            return List.of();
        }
        for (String part : parts) {
            T value = part.isEmpty() ? null : parse.apply(part);
            if (value == null) {
                errors.add(new FieldError(field, "'" + abbreviate(part) + "' is not a valid value"));
            } else {
                values.add(value);
            }
        }
        return values;
    }

    private static <T> T enumValue(String value, Function<String, T> parse) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Boolean bool(String raw, String field, List<FieldError> errors) {
        if (raw == null) {
            return null;
        }
        return switch (raw) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                errors.add(new FieldError(field, "must be true or false"));
                yield null;
            }
        };
    }

    private static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
