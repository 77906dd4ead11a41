package dev.olympus.web;

/**
 * Every problem {@code code} Olympus answers with, in one place (the stable, machine-readable part of an RFC 9457
 * problem; clients switch on it). A new code is added here and documented with the endpoint that answers it.
 */
public final class ProblemCode {

    // Generic HTTP failures
    public static final String VALIDATION_FAILED = "validation-failed";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String NOT_FOUND = "not-found";
    public static final String METHOD_NOT_ALLOWED = "method-not-allowed";
    public static final String NOT_ACCEPTABLE = "not-acceptable";
    public static final String PAYLOAD_TOO_LARGE = "payload-too-large";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type";
    public static final String CONSTRAINT_VIOLATION = "constraint-violation";
    public static final String INTERNAL_ERROR = "internal-error";
    public static final String UNAVAILABLE = "unavailable";

    // Tasks and their state machine
    public static final String INVALID_TRANSITION = "invalid-transition";
    public static final String VERSION_CONFLICT = "version-conflict";
    public static final String LEASE_LOST = "lease-lost";
    public static final String DEPENDENCIES_UNMET = "dependencies-unmet";
    public static final String DEPENDENCY_CYCLE = "dependency-cycle";
    public static final String BLOCKERS_DONE = "blockers-done";
    public static final String BLOCK_REASON_REQUIRED = "block-reason-required";
    public static final String WIP_LIMIT = "wip-limit";
    public static final String MAX_ATTEMPTS = "max-attempts";
    public static final String ALREADY_RETRIED = "already-retried";
    public static final String TASK_CANCELED = "task-canceled";
    public static final String CANCEL_REASON_REQUIRED = "cancel-reason-required";
    public static final String ALREADY_ANSWERED = "already-answered";

    // Agents and access
    public static final String AGENT_EXISTS = "agent-exists";
    public static final String AGENT_KILLED = "agent-killed";
    public static final String LAST_OPERATOR = "last-operator";
    public static final String AGENT_PAUSED = "agent-paused";

    // Guard rails and the system
    public static final String RATE_LIMITED = "rate-limited";
    public static final String BACKLOG_FULL = "backlog-full";
    public static final String DUPLICATE_TASK = "duplicate-task";
    public static final String SYSTEM_FROZEN = "system-frozen";
    public static final String IDEMPOTENCY_KEY_REUSED = "idempotency-key-reused";
    public static final String IDEMPOTENCY_KEY_IN_FLIGHT = "idempotency-key-in-flight";
    public static final String CURSOR_EXPIRED = "cursor-expired";

    private ProblemCode() {}
}
