package dev.olympus.event;

import java.util.Set;

/**
 * Every event type Olympus writes, in one place: a new type is added here (and to {@link #ALL}) and documented in
 * the events manual. Types are plain strings on the wire and in the log ({@code family.name}).
 */
public final class EventType {

    public static final String TASK_CREATED = "task.created";
    public static final String TASK_UPDATED = "task.updated";
    public static final String TASK_STATUS_CHANGED = "task.status_changed";
    public static final String TASK_ASSIGNED = "task.assigned";
    public static final String TASK_COMMENTED = "task.commented";
    public static final String TASK_READY = "task.ready";
    public static final String TASK_ATTENTION = "task.attention";
    public static final String TASK_QUESTION_ASKED = "task.question_asked";
    public static final String TASK_QUESTION_ANSWERED = "task.question_answered";

    public static final String AGENT_CREATED = "agent.created";
    public static final String AGENT_KILLED = "agent.killed";
    public static final String AGENT_REVIVED = "agent.revived";
    public static final String AGENT_RECOVERED = "agent.recovered";
    public static final String AGENT_HEARTBEAT_MISSED = "agent.heartbeat_missed";
    public static final String AGENT_PAUSED = "agent.paused";
    public static final String AGENT_RESUMED = "agent.resumed";

    public static final String BUDGET_WARNING = "budget.warning";
    public static final String BUDGET_EXHAUSTED = "budget.exhausted";

    public static final String SYSTEM_FROZEN = "system.frozen";
    public static final String SYSTEM_UNFROZEN = "system.unfrozen";

    public static final String WEBHOOK_DISABLED = "webhook.disabled";

    /** All types, e.g. to validate a subscriber's filter. */
    public static final Set<String> ALL = Set.of(
            TASK_CREATED, TASK_UPDATED, TASK_STATUS_CHANGED, TASK_ASSIGNED, TASK_COMMENTED, TASK_READY, TASK_ATTENTION,
            TASK_QUESTION_ASKED, TASK_QUESTION_ANSWERED,
            AGENT_CREATED, AGENT_KILLED, AGENT_REVIVED, AGENT_RECOVERED, AGENT_HEARTBEAT_MISSED, AGENT_PAUSED, AGENT_RESUMED,
            BUDGET_WARNING, BUDGET_EXHAUSTED,
            SYSTEM_FROZEN, SYSTEM_UNFROZEN, WEBHOOK_DISABLED);

    private EventType() {}
}
