package dev.olympus.task;

import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Task leases and their fencing token. Every start of a holding (a claim, a move to in_progress, a
 * reassignment, a requeue) bumps the task's {@code lease_epoch}; a holder that sends the epoch it was given
 * ({@value #HEADER}) is refused with 409 {@code lease-lost} once the task has moved on to another holding,
 * so a stale worker cannot overwrite the work of the one that holds the task now.
 */
@ApplicationScoped
public class Leases {

    /** The request header carrying the lease epoch the writer believes it holds. */
    public static final String HEADER = "Olympus-Lease-Epoch";

    private final LeaseConfig config;

    public Leases(LeaseConfig config) {
        this.config = config;
    }

    /** The lease length in seconds, for SQL. */
    public double seconds() {
        return LeaseConfig.seconds(config.duration());
    }

    /**
     * The fencing check, on the locked row. Only writers that present an epoch are fenced (like If-Match);
     * a caller that is not the assignee at all was already refused with 403.
     */
    static void checkEpoch(Task task, Long presented) {
        if (presented == null || presented == task.leaseEpoch()) {
            return;
        }
        throw ProblemException.conflict(ProblemCode.LEASE_LOST, "Lease lost",
                        "Task " + task.id() + " is at lease epoch " + task.leaseEpoch() + ", not " + presented
                                + ": the lease was taken away (expired and requeued, or reassigned). Stop working on it;"
                                + " claim again to get a new lease.")
                .with("currentLeaseEpoch", task.leaseEpoch())
                .with("currentStatus", task.status().wire());
    }

    /** Parses the {@value #HEADER} header; null when absent. */
    public static Long epoch(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.validation(HEADER, "must be the integer leaseEpoch of the task");
        }
    }
}
