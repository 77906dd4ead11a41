package dev.olympus.event;

import dev.olympus.auth.Caller;
import dev.olympus.auth.Role;
import dev.olympus.web.ProblemException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which events a subscriber receives: what its role may see, narrowed by its {@code type} and {@code assignee}
 * parameters. The same rules run in SQL (replay and polling, {@link #where}) and in Java (live fan-out,
 * {@link #matches}), over the event's {@code audience} (see {@link EventLog}).
 *
 * @param viewer       a worker's name: it sees only events whose audience names it; null for roles that see all
 * @param types        exact event types; empty means any
 * @param typePrefixes prefixes from {@code task.*}-style entries (stored as {@code "task."})
 * @param assignees    agents whose events are wanted (the audience must name one of them); empty means any
 */
public record EventFilter(String viewer, Set<String> types, List<String> typePrefixes, Set<String> assignees) {

    static final int MAX_LIST = 50;
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z_]*(\\.[a-z][a-z_]*)+");
    private static final Pattern TYPE_PREFIX = Pattern.compile("([a-z][a-z_]*)\\.\\*");
    private static final Pattern AGENT = Pattern.compile("[a-z][a-z0-9-]{1,31}");

    /** Orchestrators, operators and observers see all events; workers those of their own tasks and of themselves. */
    public static EventFilter of(Caller caller, String type, String assignee) {
        boolean seesAll = caller.is(Role.OPERATOR) || caller.is(Role.ORCHESTRATOR) || caller.is(Role.OBSERVER);
        Set<String> types = new LinkedHashSet<>();
        List<String> prefixes = new ArrayList<>();
        for (String t : list("type", type)) {
            var prefix = TYPE_PREFIX.matcher(t);
            if (prefix.matches()) {
                prefixes.add(prefix.group(1) + ".");
            } else if (TYPE.matcher(t).matches()) {
                types.add(t);
            } else {
                throw ProblemException.validation("type", "'" + t + "' is not an event type such as task.created or task.*");
            }
        }
        Set<String> assignees = new LinkedHashSet<>();
        for (String a : list("assignee", assignee)) {
            String name = a.equals("me") ? caller.name() : a;
            if (!AGENT.matcher(name).matches()) {
                throw ProblemException.validation("assignee", "'" + a + "' is not an agent name");
            }
            assignees.add(name);
        }
        return new EventFilter(seesAll ? null : caller.name(), Set.copyOf(types), List.copyOf(prefixes), Set.copyOf(assignees));
    }

    /** Everything: for tests and internal readers. */
    public static EventFilter all() {
        return new EventFilter(null, Set.of(), List.of(), Set.of());
    }

    public boolean matches(String type, List<String> audience) {
        if (viewer != null && !audience.contains(viewer)) {
            return false;
        }
        if (!assignees.isEmpty() && audience.stream().noneMatch(assignees::contains)) {
            return false;
        }
        if (types.isEmpty() && typePrefixes.isEmpty()) {
            return true;
        }
        return types.contains(type) || typePrefixes.stream().anyMatch(type::startsWith);
    }

    /** Appends this filter's conditions ({@code AND ...}) to a WHERE clause, binding values from {@code params}. */
    void where(StringBuilder sql, List<Object> params) {
        if (viewer != null) {
            params.add(new String[]{viewer});
            sql.append(" AND audience @> $").append(params.size()).append("::text[]");
        }
        if (!assignees.isEmpty()) {
            params.add(assignees.toArray(String[]::new));
            sql.append(" AND audience && $").append(params.size()).append("::text[]");
        }
        if (!types.isEmpty() || !typePrefixes.isEmpty()) {
            params.add(types.toArray(String[]::new));
            sql.append(" AND (type = ANY($").append(params.size()).append("::text[])");
            params.add(typePrefixes.stream().map(p -> p.replace("_", "\\_") + "%").toArray(String[]::new));
            sql.append(" OR type LIKE ANY($").append(params.size()).append("::text[]))");
        }
    }

    private static List<String> list(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (String part : raw.split(",")) {
            String value = part.trim();
            if (!value.isEmpty()) {
                values.add(value);
            }
        }
        if (values.size() > MAX_LIST) {
            throw ProblemException.validation(field, "at most " + MAX_LIST + " values");
        }
        return values;
    }
}
