package dev.olympus.task;

import dev.olympus.auth.Caller;
import dev.olympus.db.Transactions;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Retries of failed tasks. A retry is a new task: same title, description, priority, labels, dependencies and
 * {@code maxAttempts}, {@code attempt + 1}, {@code retryOf} = the failed task, unassigned unless the request names
 * an assignee. The failed task's dependents are moved over to the retry (they wait for the work, not for one
 * attempt at it). A failed task is retried at most once.
 */
@ApplicationScoped
public class RetryService {

    private final Transactions transactions;
    private final TaskRepository tasks;
    private final TaskWrites writes;
    private final TaskUpdates updates;
    private final Dependencies dependencies;

    public RetryService(Transactions transactions, TaskRepository tasks, TaskWrites writes, TaskUpdates updates, Dependencies dependencies) {
        this.transactions = transactions;
        this.tasks = tasks;
        this.writes = writes;
        this.updates = updates;
        this.dependencies = dependencies;
    }

    public Uni<Task> retry(Caller caller, long id, String assignee) {
        if (!caller.plans()) {
            throw ProblemException.forbidden("Only orchestrators and operators retry tasks.");
        }
        // The graph lock first: moving the dependents over is an edit of the dependency graph.
        return transactions.inTransaction(tx -> dependencies.lock(tx.conn())
                .chain(() -> tasks.findForUpdate(tx.conn(), id))
                .onItem().ifNull().failWith(() -> TaskChecks.notFound(id))
                .call(failed -> check(tx.conn(), failed))
                .call(failed -> updates.checkAssignable(tx.conn(), "assignee", assignee))
                .chain(failed -> writes.insertRetry(tx.conn(), id, assignee, caller.name()))
                .call(retryId -> tx.conn().preparedQuery("""
                                INSERT INTO task_dependencies (task_id, depends_on)
                                SELECT $2, depends_on FROM task_dependencies WHERE task_id = $1
                                """)
                        .execute(Tuple.of(id, retryId)))
                .chain(retryId -> tasks.find(tx.conn(), retryId))
                // The created event comes first in the log, before the dependents' updates that name it.
                .invoke(retry -> tx.emit(NewEvent.task(EventType.TASK_CREATED, caller.name(), retry.id(),
                        updates.snapshot(retry).put("retryOf", id))))
                .call(retry -> moveDependents(tx, caller, id, retry.id())));
    }

    private Uni<Void> check(io.vertx.mutiny.sqlclient.SqlClient client, Task failed) {
        if (failed.status() != TaskStatus.FAILED) {
            throw ProblemException.conflict(ProblemCode.INVALID_TRANSITION, "Not failed",
                    "Only a failed task can be retried; task " + failed.id() + " is " + failed.status().wire() + ".")
                    .with("currentStatus", failed.status().wire());
        }
        if (failed.attempt() >= failed.maxAttempts()) {
            throw ProblemException.conflict(ProblemCode.MAX_ATTEMPTS, "Max attempts reached",
                            "Task " + failed.id() + " was attempt " + failed.attempt() + " of at most " + failed.maxAttempts() + ".")
                    .with("attempt", failed.attempt()).with("maxAttempts", failed.maxAttempts());
        }
        return client.preparedQuery("SELECT id FROM tasks WHERE retry_of = $1").execute(Tuple.of(failed.id()))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        long retryId = rows.iterator().next().getLong("id");
                        throw ProblemException.conflict(ProblemCode.ALREADY_RETRIED, "Already retried",
                                "Task " + failed.id() + " was already retried as task " + retryId + ".")
                                .with("retryTaskId", retryId);
                    }
                })
                .replaceWithVoid();
    }

    /** Tasks that depended on the failed one now depend on its retry; each gets a new version and an event. */
    private Uni<Void> moveDependents(dev.olympus.db.Tx tx, Caller caller, long failedId, long retryId) {
        return writes.moveDependents(tx.conn(), failedId, retryId)
                .chain(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getLong("id")));
                    if (ids.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return tx.conn().preparedQuery("SELECT " + TaskRepository.COLUMNS + " FROM tasks t WHERE t.id = ANY($1::bigint[]) ORDER BY t.id")
                            .execute(Tuple.of((Object) ids.toArray(Long[]::new)))
                            .invoke(found -> TaskRepository.all(found).forEach(dependent ->
                                    tx.emit(NewEvent.task(EventType.TASK_UPDATED, caller.name(), dependent.id(), updates.snapshot(dependent)
                                            .put("fields", new JsonArray().add("dependsOn"))
                                            .put("retryOf", failedId).put("retry", retryId)))))
                            .replaceWithVoid();
                });
    }
}
