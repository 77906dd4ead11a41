package dev.olympus.task;

import dev.olympus.auth.Caller;
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
 * ({@code FOR NO KEY UPDATE SKIP LOCKED}: concurrent claimers never wait for each other and never get the same task)
 * and starts it with a fresh lease and lease epoch. Before it, in the same transaction, the caller's WIP lock
 * is taken when it has a {@code wipLimit}, so the limit holds under concurrent claims.
 */
@ApplicationScoped
public class ClaimService {

    /*
     * $1 caller name, $2 its capabilities, $3 its wipLimit (null: none), $4 the labels the claim is narrowed to
     * (null: any), $5 lease seconds. The CTE walks tasks_claim (priority_rank, id WHERE status = 'todo').
     */
    static final String CLAIM = """
            WITH pick AS (
                SELECT t.id, t.assignee AS previous_assignee
                FROM tasks t
                WHERE t.status = 'todo'
                  AND (t.assignee = $1
                       OR (t.assignee IS NULL
                           AND (cardinality($2::text[]) = 0 OR cardinality(t.labels) = 0 OR t.labels && $2::text[])))
                  AND ($4::text[] IS NULL OR t.labels && $4::text[])
                  AND NOT EXISTS (SELECT 1 FROM task_dependencies d JOIN tasks p ON p.id = d.depends_on
                                  WHERE d.task_id = t.id AND p.status <> 'done')
                  AND ($3::int IS NULL
                       OR (SELECT count(*) FROM tasks w WHERE w.assignee = $1 AND w.status = 'in_progress') < $3::int)
                ORDER BY t.priority_rank, t.id
                LIMIT 1
                FOR NO KEY UPDATE OF t SKIP LOCKED)
            UPDATE tasks t
            SET status = 'in_progress', assignee = $1, started_at = coalesce(t.started_at, now()),
                lease_expires_at = now() + make_interval(secs => $5), lease_epoch = t.lease_epoch + 1,
                needs_attention = false, attention_reason = NULL, attention_since = NULL,
                blocked_at = NULL, blocked_on = NULL, completed_at = NULL,
                version = t.version + 1, updated_at = now()
            FROM pick
            WHERE t.id = pick.id
            RETURNING %s, pick.previous_assignee
            """.formatted(TaskRepository.COLUMNS);

    private final Transactions transactions;
    private final WipLimits wipLimits;
    private final Leases leases;
    private final TaskUpdates updates;

    public ClaimService(Transactions transactions, WipLimits wipLimits, Leases leases, TaskUpdates updates) {
        this.transactions = transactions;
        this.wipLimits = wipLimits;
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
        return transactions.inTransaction(tx -> wipLimits.lockById(tx.conn(), caller.agentId())
                .onItem().ifNull().failWith(() -> ProblemException.unauthorized("The calling agent no longer exists."))
                .chain(holder -> tx.conn().preparedQuery(CLAIM).execute(Tuple.from(Arrays.asList(
                        holder.name(), holder.capabilities(), holder.wipLimit(), narrowTo, leases.seconds()))))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    Task task = TaskRepository.toTask(row);
                    String previous = row.getString("previous_assignee");
                    JsonObject snapshot = updates.snapshot(task);
                    tx.emit(NewEvent.task("task.status_changed", caller.name(), task.id(), snapshot.copy()
                            .put("from", TaskStatus.TODO.wire()).put("to", TaskStatus.IN_PROGRESS.wire())
                            .put("claimed", true)));
                    if (previous == null) {
                        tx.emit(NewEvent.task("task.assigned", caller.name(), task.id(), snapshot.copy()
                                .put("from", null).put("to", caller.name()).put("claimed", true)));
                    }
                    return task;
                }));
    }
}
