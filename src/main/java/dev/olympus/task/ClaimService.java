package dev.olympus.task;

import dev.olympus.auth.Caller;
import dev.olympus.auth.KillFence;
import dev.olympus.auth.Role;
import dev.olympus.db.Transactions;
import dev.olympus.event.NewEvent;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.List;

/**
 * The atomic claim: one statement picks the highest-priority, oldest, ready todo task the caller may take
 * ({@code FOR NO KEY UPDATE SKIP LOCKED}: concurrent claimers never wait for each other and never get the same
 * task) and starts it with a fresh lease and lease epoch.
 *
 * <p>The WIP limit. For an agent with a {@code wipLimit} the statement also takes the agent's WIP lock (see
 * {@link WipLimits}), held to commit, and counts the agent's in_progress tasks. That count comes from the
 * statement's snapshot, which may predate a concurrent claim of the same agent that committed while this one
 * waited for the lock; so the claim is verified by a second statement (a new snapshot, under the lock) and rolled
 * back when it went past the limit. Agents without a limit pay for one statement only.
 *
 * <p>The kill. The claim statement is sent right behind the caller's {@link KillFence}, so a claim racing a kill
 * either commits first, and the kill releases the task, or waits for the kill and then finds the agent killed:
 * nothing is claimed.
 */
@ApplicationScoped
public class ClaimService {

    /*
     * $1 caller id, $2 the labels the claim is narrowed to (null: any), $3 the WIP lock namespace, $4 lease seconds.
     * The pick walks the claim order (priority_rank, id) over todo tasks.
     */
    static final String CLAIM = """
            WITH me AS (
                SELECT a.name, a.capabilities, a.wip_limit,
                       CASE WHEN a.wip_limit IS NOT NULL THEN pg_advisory_xact_lock($3::bigint | (a.id & 4294967295)) END AS locked
                FROM agents a WHERE a.id = $1 AND a.state NOT IN ('killed', 'paused')),
            pick AS (
                SELECT t.id, t.assignee AS previous_assignee
                FROM me, tasks t
                WHERE t.status = 'todo'
                  AND (t.assignee = me.name
                       OR (t.assignee IS NULL
                           AND (cardinality(me.capabilities) = 0 OR cardinality(t.labels) = 0 OR t.labels && me.capabilities)))
                  AND ($2::text[] IS NULL OR t.labels && $2::text[])
                  AND NOT EXISTS (SELECT 1 FROM task_dependencies d JOIN tasks p ON p.id = d.depends_on
                                  WHERE d.task_id = t.id AND p.status <> 'done')
                  AND (me.wip_limit IS NULL
                       OR (SELECT count(*) FROM tasks w WHERE w.assignee = me.name AND w.status = 'in_progress') < me.wip_limit)
                ORDER BY t.priority_rank, t.id
                LIMIT 1
                FOR NO KEY UPDATE OF t SKIP LOCKED)
            UPDATE tasks t
            SET status = 'in_progress', assignee = me.name, started_at = coalesce(t.started_at, now()),
                lease_expires_at = now() + make_interval(secs => $4), lease_epoch = t.lease_epoch + 1,
                needs_attention = false, attention_reason = NULL, attention_since = NULL,
                blocked_at = NULL, blocked_on = NULL, completed_at = NULL,
                version = t.version + 1, updated_at = now()
            FROM pick, me
            WHERE t.id = pick.id
            RETURNING %s, pick.previous_assignee, me.wip_limit
            """.formatted(TaskRepository.COLUMNS);

    /** Under the WIP lock, in a new snapshot: how many tasks the agent holds now, the claimed one included. */
    private static final String HELD = "SELECT count(*)::int AS n FROM tasks WHERE assignee = $1 AND status = 'in_progress'";

    /** Rolls a claim back that went past the WIP limit; answered as "nothing to claim". */
    private static final class OverLimit extends RuntimeException {
        OverLimit() {
            super(null, null, false, false);
        }
    }

    private final Transactions transactions;
    private final Leases leases;
    private final TaskUpdates updates;

    public ClaimService(Transactions transactions, Leases leases, TaskUpdates updates) {
        this.transactions = transactions;
        this.leases = leases;
        this.updates = updates;
    }

    /**
     * Claims one task for the caller.
     *
     * @param labels when not empty, only tasks carrying at least one of them
     * @return the claimed task, or null when there is none to take (or the caller is at its WIP limit)
     */
    public Uni<Task> claim(Caller caller, List<String> labels) {
        if (caller.is(Role.OBSERVER)) {
            throw ProblemException.forbidden("Observers are read-only; claiming takes a task.");
        }
        String[] narrowTo = labels == null || labels.isEmpty() ? null : labels.toArray(String[]::new);
        return transactions.inTransaction(tx -> Uni.combine().all()
                        .unis(KillFence.hold(tx.conn(), caller), tx.conn().preparedQuery(CLAIM)
                                .execute(Tuple.from(Arrays.asList(caller.agentId(), narrowTo, WipLimits.NAMESPACE << 32, leases.seconds()))))
                        .with((fenced, rows) -> rows)
                        .chain(rows -> {
                            if (rows.rowCount() == 0) {
                                return Uni.createFrom().nullItem();
                            }
                            Row row = rows.iterator().next();
                            Integer limit = row.getInteger("wip_limit");
                            Uni<Row> verified = limit == null ? Uni.createFrom().item(row)
                                    : tx.conn().preparedQuery(HELD).execute(Tuple.of(caller.name())).map(held -> {
                                        if (held.iterator().next().getInteger("n") > limit) {
                                            throw new OverLimit();
                                        }
                                        return row;
                                    });
                            return verified.map(claimed -> started(tx, caller, claimed));
                        }))
                .onFailure(OverLimit.class).recoverWithNull();
    }

    private Task started(dev.olympus.db.Tx tx, Caller caller, Row row) {
        Task task = TaskRepository.toTask(row);
        String previous = row.getString("previous_assignee");
        JsonObject snapshot = updates.snapshot(task);
        tx.emit(NewEvent.task("task.status_changed", caller.name(), task.id(), snapshot.copy()
                .put("from", TaskStatus.TODO.wire()).put("to", TaskStatus.IN_PROGRESS.wire())
                .put("claimed", true)));
        if (previous == null) {
            tx.emit(NewEvent.task("task.assigned", caller.name(), task.id(), snapshot
                    .put("from", null).put("to", caller.name()).put("claimed", true)));
        }
        return task;
    }
}
