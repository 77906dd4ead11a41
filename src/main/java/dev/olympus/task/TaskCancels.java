package dev.olympus.task;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.olympus.auth.Caller;
import dev.olympus.auth.KillFence;
import dev.olympus.db.Transactions;
import dev.olympus.db.Tx;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import dev.olympus.web.StrictStrings;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /tasks/{id}/cancel}: stops a task that is not final, with a reason kept as a comment, and optionally
 * every not-started task that depends on it (transitively), all in one transaction.
 *
 * <p>A held task's lease ends at once (a new lease epoch): the row lock orders the cancel against the holder's PATCH
 * (which locks the same row), so either the PATCH commits first and the cancel sees its result, or the PATCH waits
 * and then finds the task canceled (409 {@code task-canceled}). The holder's next heartbeat lists the task in
 * {@code canceledTaskIds}.
 */
@ApplicationScoped
public class TaskCancels {

    /** The answer: the canceled task (its fields at the top level) and the ids of the dependents canceled with it. */
    @RegisterForReflection
    public record Outcome(@JsonUnwrapped Task task, List<Long> cascaded) {}

    static final int MAX_REASON = 2000;

    private final Transactions transactions;
    private final TaskRepository tasks;
    private final TaskWrites writes;
    private final CommentRepository comments;
    private final TaskUpdates updates;
    private final Dependencies dependencies;

    public TaskCancels(Transactions transactions, TaskRepository tasks, TaskWrites writes, CommentRepository comments,
                       TaskUpdates updates, Dependencies dependencies) {
        this.transactions = transactions;
        this.tasks = tasks;
        this.writes = writes;
        this.comments = comments;
        this.updates = updates;
        this.dependencies = dependencies;
    }

    public Uni<Outcome> cancel(Caller caller, long id, String reason, boolean cascade, Long expectedVersion) {
        if (!caller.plans()) {
            throw ProblemException.forbidden("Only orchestrators and operators cancel tasks.");
        }
        if (reason == null || StrictStrings.blank(reason)) {
            throw new ProblemException(422, ProblemCode.CANCEL_REASON_REQUIRED, "Cancel reason required",
                    "Say why the task is canceled: send \"reason\" (1.." + MAX_REASON + " characters).");
        }
        String why = reason.strip();
        if (why.length() > MAX_REASON) {
            throw ProblemException.validation("reason", "must be at most " + MAX_REASON + " characters");
        }
        // Kill fence, then (for a cascade) the graph lock so that the dependents stay put, then the task's row.
        return transactions.inTransaction(tx -> KillFence.holdAlive(tx.conn(), caller)
                .chain(() -> cascade ? dependencies.lock(tx.conn()) : Uni.createFrom().voidItem())
                .chain(() -> tasks.findForUpdate(tx.conn(), id))
                .onItem().ifNull().failWith(() -> TaskChecks.notFound(id))
                .invoke(task -> {
                    TaskChecks.version(task, expectedVersion);
                    if (!task.isOpen()) {
                        throw ProblemException.conflict(ProblemCode.INVALID_TRANSITION, "Invalid transition",
                                        "Task " + id + " is " + task.status().wire() + " already: only open tasks can be canceled.")
                                .with("from", task.status().wire()).with("to", TaskStatus.CANCELED.wire());
                    }
                })
                .chain(task -> cascade ? tasks.notStartedDependents(tx.conn(), id) : Uni.createFrom().item(List.<Long>of()))
                .chain(dependents -> writes.cancel(tx.conn(), id, dependents))
                .chain(rows -> {
                    List<Row> canceled = new ArrayList<>();
                    rows.forEach(canceled::add);
                    List<Long> cascaded = canceled.stream().map(row -> row.getLong("id")).filter(c -> c != id).toList();
                    // The root's events first, then the dependents' in id order.
                    canceled.sort((a, b) -> a.getLong("id") == id ? -1 : b.getLong("id") == id ? 1 : 0);
                    return Multi.createFrom().iterable(canceled)
                            .onItem().transformToUniAndConcatenate(row -> record(tx, caller, row, id, why, cascaded))
                            .collect().asList()
                            .chain(() -> tasks.find(tx.conn(), id))
                            .map(task -> new Outcome(task, cascaded));
                }));
    }

    /** The comment and the events of one canceled task. */
    private Uni<Void> record(Tx tx, Caller caller, Row row, long root, String reason, List<Long> cascaded) {
        long taskId = row.getLong("id");
        boolean isRoot = taskId == root;
        String body = isRoot ? reason
                : "Canceled with task #" + root + " (cascade) by '" + caller.name() + "': " + reason;
        return comments.insert(tx.conn(), taskId, isRoot ? caller.name() : "system", body, !isRoot)
                .chain(comment -> tasks.find(tx.conn(), taskId).invoke(task -> {
                    JsonObject changed = updates.snapshot(task)
                            .put("from", row.getString("previous_status")).put("to", TaskStatus.CANCELED.wire())
                            .put("reason", reason);
                    if (isRoot) {
                        changed.put("cascaded", new JsonArray(cascaded));
                    } else {
                        changed.put("cascadeOf", root);
                    }
                    tx.emit(NewEvent.task(EventType.TASK_STATUS_CHANGED, caller.name(), taskId, changed));
                    JsonObject commented = new JsonObject().put("commentId", comment.id()).put("author", comment.author())
                            .put("body", comment.body());
                    tx.emit(NewEvent.task(EventType.TASK_COMMENTED, caller.name(), taskId, isRoot ? commented : commented.put("system", true)));
                }))
                .replaceWithVoid();
    }
}
