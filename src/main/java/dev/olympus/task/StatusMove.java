package dev.olympus.task;

/**
 * What a task's row gets when it enters a status: the one SQL fragment every status change of {@link TaskWrites}
 * is built from (a PATCH, the claim, a kill's release, a requeue, an unblock, a cancel), so a new rule is one edit
 * here.
 *
 * <p>Every move: the status, a new version and {@code updated_at}, needsAttention cleared (its cause was the old
 * status), the self-resolving blockage ({@code blocked_on}) ended. Then by target: {@code started_at} is set on the
 * first start, {@code completed_at} on entering a final status and cleared otherwise, {@code blocked_at} is set on
 * entering blocked and cleared otherwise; {@code in_progress} starts a holding (a fresh lease and a new lease epoch),
 * any other status has no lease.
 */
final class StatusMove {

    /** Every versioned change of a task. */
    static final String NEW_VERSION = "version = version + 1, updated_at = now()";

    static final String CLEAR_ATTENTION = "needs_attention = false, attention_reason = NULL, attention_since = NULL";

    /** Ends the current holding: writes bound to the old lease epoch now fail with 409 lease-lost. */
    static final String FENCE = "lease_epoch = lease_epoch + 1";

    private StatusMove() {}

    /**
     * The SET list of a move into {@code to} (without a trailing comma).
     *
     * @param leaseSeconds SQL for the lease length (a parameter such as {@code $4}); only for {@code in_progress}
     * @param endsHolding  whether the move takes the task away from its holder (kill, requeue, reassignment, cancel): the
     *                     lease epoch moves on. A move into {@code in_progress} always does.
     */
    static String enter(TaskStatus to, String leaseSeconds, boolean endsHolding) {
        return enter(to, leaseSeconds, endsHolding, true);
    }

    /**
     * The SET list of a return into {@code to} after an answered question: like {@link #enter}, but back in
     * {@code in_progress} the holder's lease is renewed under its current epoch (it asked, it is still the holder, and
     * its writes with that epoch keep working).
     */
    static String resume(TaskStatus to, String leaseSeconds) {
        return enter(to, leaseSeconds, false, false);
    }

    private static String enter(TaskStatus to, String leaseSeconds, boolean endsHolding, boolean newEpoch) {
        StringBuilder sql = new StringBuilder("status = '").append(to.wire()).append("', ")
                .append(NEW_VERSION).append(", ").append(CLEAR_ATTENTION).append(", blocked_on = NULL");
        sql.append(to == TaskStatus.BLOCKED ? ", blocked_at = now()" : ", blocked_at = NULL");
        sql.append(to.isOpen() ? ", completed_at = NULL" : ", completed_at = now()");
        if (to == TaskStatus.IN_PROGRESS) {
            if (leaseSeconds == null) {
                throw new IllegalArgumentException("a move into in_progress needs the lease length");
            }
            sql.append(", started_at = coalesce(started_at, now()), ")
                    .append(newEpoch ? newHolding(leaseSeconds) : renewal(leaseSeconds));
        } else {
            sql.append(", lease_expires_at = NULL");
            if (endsHolding) {
                sql.append(", ").append(FENCE);
            }
        }
        return sql.toString();
    }

    private static String renewal(String leaseSeconds) {
        return "lease_expires_at = now() + make_interval(secs => " + leaseSeconds + ")";
    }

    /** A new holding of the task: a fresh lease and a new lease epoch (the previous holder is fenced out). */
    static String newHolding(String leaseSeconds) {
        return "lease_expires_at = now() + make_interval(secs => " + leaseSeconds + "), " + FENCE;
    }
}
