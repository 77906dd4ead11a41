package dev.olympus.webhook;

import dev.olympus.event.Event;
import dev.olympus.event.EventFilter;
import dev.olympus.event.EventType;
import dev.olympus.web.ProblemException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** A webhook's filters: which event types are valid there, and which events it receives. */
final class WebhookFilters {

    static final String DISABLED = EventType.WEBHOOK_DISABLED;

    /** Every event type Olympus writes. */
    static final Set<String> KNOWN_TYPES = EventType.ALL;

    static final int MAX_TYPES = 50;
    private static final Pattern AGENT = Pattern.compile("[a-z][a-z0-9-]{1,31}");

    private WebhookFilters() {}

    /** Validates {@code types}: known types, or prefixes ending in "." that start at least one known type. */
    static List<String> types(List<String> raw) {
        if (raw == null) {
            return List.of();
        }
        if (raw.size() > MAX_TYPES) {
            throw ProblemException.validation("types", "at most " + MAX_TYPES + " entries");
        }
        Set<String> types = new LinkedHashSet<>();
        for (String type : raw) {
            String t = type == null ? "" : type.trim();
            boolean known = t.endsWith(".") ? KNOWN_TYPES.stream().anyMatch(k -> k.startsWith(t)) : KNOWN_TYPES.contains(t);
            if (!known) {
                throw ProblemException.validation("types", "'" + type + "' is not an event type (such as task.created) "
                        + "or a prefix ending in '.' (such as task.)");
            }
            types.add(t);
        }
        return List.copyOf(types);
    }

    static String assignee(String raw) {
        if (raw == null) {
            return null;
        }
        if (!AGENT.matcher(raw).matches()) {
            throw ProblemException.validation("assignee", "must be an agent name");
        }
        return raw;
    }

    /** The part of the filters the event log applies in SQL (types and assignee); the label is checked in Java. */
    static EventFilter eventFilter(List<String> types, String assignee) {
        Set<String> exact = new LinkedHashSet<>();
        List<String> prefixes = new ArrayList<>();
        for (String t : types) {
            if (t.endsWith(".")) {
                prefixes.add(t);
            } else {
                exact.add(t);
            }
        }
        return new EventFilter(null, Set.copyOf(exact), List.copyOf(prefixes), assignee == null ? Set.of() : Set.of(assignee));
    }

    /** The labels of the task an event carries (its snapshot in {@code data.task}); null when it carries none. */
    @SuppressWarnings("unchecked")
    static List<String> snapshotLabels(Event event) {
        if (event.data() != null && event.data().get("task") instanceof Map<?, ?> task
                && task.get("labels") instanceof List<?> labels) {
            return (List<String>) labels;
        }
        return null;
    }
}
