package dev.olympus.task;

import dev.olympus.auth.Caller;
import dev.olympus.db.Transactions;
import dev.olympus.db.Tx;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The dependency graph: replacing a task's dependencies, blockages that resolve themselves ({@code blockedOn}),
 * and what a completion sets off (dependents that become ready, blocked tasks that return to todo).
 *
 * <p>Concurrency. Every edit of the graph takes one transaction-scoped advisory lock ({@link #LOCK}) before it
 * checks for cycles, so two edits that would each be acyclic but together form a cycle are serialised, and the
 * second one's check (a new statement, so a new snapshot) sees the first one's edges. A completion locks the
 * rows of the completed task's dependents, in id order, and only then re-reads them, so of two blockers
 * completing at the same time the later one always sees the earlier one done. A new {@code blockedOn} locks its
 * blockers {@code FOR SHARE} (after the graph lock, before the blocked task's own row), so it either waits for
 * a blocker's completion to commit and sees it, or that completion waits for it and sees the new edge.
 */
@ApplicationScoped
public class Dependencies {

    /** Key of the transaction-scoped advisory lock that serialises edits of the dependency graph. */
    static final long LOCK = 0x4f4c_5944_4550L; // "OLYDEP"

    /** Does any of $2 (a set of new dependencies) lead back to $1? Then adding them closes a cycle. */
    private static final String CYCLE = """
            WITH RECURSIVE reach(id) AS (
                SELECT unnest($2::bigint[])
                UNION
                SELECT d.depends_on FROM task_dependencies d JOIN reach r ON d.task_id = r.id
            )
            SELECT EXISTS (SELECT 1 FROM reach WHERE id = $1) AS cycle
            """;

    private final Transactions transactions;
    private final TaskRepository tasks;
    private final TaskWrites writes;
    private final CommentRepository comments;
    private final TaskUpdates updates;

    public Dependencies(Transactions transactions, TaskRepository tasks, TaskWrites writes, CommentRepository comments, TaskUpdates updates) {
        this.transactions = transactions;
        this.tasks = tasks;
        this.writes = writes;
        this.comments = comments;
        this.updates = updates;
    }

    /** {@code PUT /tasks/{id}/dependencies}: replaces the set. Orchestrators and operators only. */
    public Uni<Task> replace(Caller caller, long id, List<Long> requested, Long expectedVersion) {
        if (!caller.plans()) {
            throw ProblemException.forbidden("Only orchestrators and operators edit dependencies.");
        }
        List<Long> dependsOn = requested.stream().distinct().sorted().toList();
        return transactions.inTransaction(tx -> lock(tx.conn())
                .chain(() -> tasks.findForUpdate(tx.conn(), id))
                .onItem().ifNull().failWith(() -> TaskChecks.notFound(id))
                .chain(before -> {
                    TaskChecks.version(before, expectedVersion);
                    if (dependsOn.equals(before.dependsOn())) {
                        return Uni.createFrom().item(before); // no change: no new version, no event
                    }
                    List<Long> added = dependsOn.stream().filter(d -> !before.dependsOn().contains(d)).toList();
                    return TaskChecks.dependenciesExist(tasks, tx.conn(), added)
                            .chain(() -> checkNoCycle(tx.conn(), id, added))
                            .chain(() -> writes.replaceDependencies(tx.conn(), id, dependsOn))
                            .chain(() -> tasks.find(tx.conn(), id))
                            .invoke(after -> {
                                tx.emit(NewEvent.task(EventType.TASK_UPDATED, caller.name(), id, updates.snapshot(after)
                                        .put("fields", new JsonArray().add("dependsOn"))));
                                if (!before.ready() && after.ready() && after.isOpen()) {
                                    tx.emit(NewEvent.task(EventType.TASK_READY, caller.name(), id, updates.snapshot(after)));
                                }
                            });
                }));
    }

    /**
     * First step of a PATCH that carries {@code blockedOn}, before the task's row is locked: the graph lock, then
     * the blockers {@code FOR SHARE}. Unknown ids are a 400.
     */
    Uni<Void> prepareBlockedOn(Tx tx, TaskPatch patch) {
        if (patch.blockedOn() == null) {
            return Uni.createFrom().voidItem();
        }
        List<Long> ids = patch.blockedOn();
        return lock(tx.conn())
                .chain(() -> tx.conn().preparedQuery("SELECT id FROM tasks WHERE id = ANY($1::bigint[]) ORDER BY id FOR SHARE")
                        .execute(Tuple.of((Object) ids.toArray(Long[]::new))))
                .invoke(rows -> {
                    Set<Long> found = new java.util.HashSet<>();
                    rows.forEach(row -> found.add(row.getLong("id")));
                    for (Long id : ids) {
                        if (!found.contains(id)) {
                            throw ProblemException.validation("blockedOn", "no task with id " + id);
                        }
                    }
                })
                .replaceWithVoid();
    }

    /** {@code blockedOn} is only for a task that is, or is being moved, blocked. */
    static void checkBlockedOn(Task task, TaskPatch patch) {
        if (patch.blockedOn() == null) {
            return;
        }
        TaskStatus after = patch.status() != null ? patch.status() : task.status();
        if (after != TaskStatus.BLOCKED) {
            throw ProblemException.validation("blockedOn", "only with \"status\": \"blocked\"");
        }
        if (patch.blockedOn().contains(task.id())) {
            throw ProblemException.conflict(ProblemCode.DEPENDENCY_CYCLE, "Dependency cycle", "A task cannot be blocked on itself.")
                    .with("taskId", task.id());
        }
    }

    /**
     * After a PATCH's update: adds the blockers to the task's dependencies (refusing a cycle) and records them as
     * the blockage that resolves itself. Blockers already done are left out; if all are done there is nothing to
     * wait for, and the move is refused with 409 {@code blockers-done}.
     *
     * @return the changes, with {@code dependsOn} among the changed fields when edges were added
     */
    Uni<TaskUpdates.Changes> block(Tx tx, Task before, TaskUpdates.Changes changes, List<Long> blockedOn) {
        if (blockedOn == null) {
            return Uni.createFrom().item(changes);
        }
        Long[] ids = blockedOn.stream().distinct().toArray(Long[]::new);
        return tx.conn().preparedQuery("SELECT id FROM tasks WHERE id = ANY($1::bigint[]) AND status <> 'done' ORDER BY id")
                .execute(Tuple.of((Object) ids))
                .chain(rows -> {
                    List<Long> open = new ArrayList<>();
                    rows.forEach(row -> open.add(row.getLong("id")));
                    if (open.isEmpty()) {
                        throw ProblemException.conflict(ProblemCode.BLOCKERS_DONE, "Blockers already done",
                                "Every task in blockedOn is already done: there is nothing to wait for.");
                    }
                    List<Long> newEdges = open.stream().filter(id -> !before.dependsOn().contains(id)).toList();
                    return checkNoCycle(tx.conn(), before.id(), newEdges)
                            // The version moves once per change: the status move already counted when there was one.
                            .chain(() -> writes.addBlockers(tx.conn(), before.id(), open,
                                    changes.fields().isEmpty() && !newEdges.isEmpty()))
                            .map(done -> {
                                if (newEdges.isEmpty()) {
                                    return changes;
                                }
                                List<String> fields = new ArrayList<>(changes.fields());
                                fields.add("dependsOn");
                                return new TaskUpdates.Changes(changes.before(), fields, changes.comment());
                            });
                });
    }

    /**
     * {@code done} was just completed in this transaction: its dependents that became ready get {@code task.ready},
     * and those blocked on it whose blockers are now all done return to todo with a system comment.
     */
    Uni<Void> completed(Tx tx, Task done, String actor) {
        return tx.conn().preparedQuery("""
                        SELECT t.id FROM tasks t
                        WHERE t.id IN (SELECT d.task_id FROM task_dependencies d WHERE d.depends_on = $1)
                        ORDER BY t.id FOR NO KEY UPDATE
                        """)
                .execute(Tuple.of(done.id()))
                .chain(locked -> {
                    if (locked.rowCount() == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    // A new statement after the locks: it sees every completion committed before them.
                    return tx.conn().preparedQuery("""
                                    SELECT t.id, t.status, t.blocked_on IS NOT NULL AND t.status = 'blocked'
                                           AND NOT EXISTS (SELECT 1 FROM tasks b WHERE b.id = ANY(t.blocked_on) AND b.status <> 'done')
                                           AS unblocks
                                    FROM tasks t
                                    WHERE t.id IN (SELECT d.task_id FROM task_dependencies d WHERE d.depends_on = $1)
                                    ORDER BY t.id
                                    """)
                            .execute(Tuple.of(done.id()))
                            .chain(rows -> {
                                List<Row> dependents = new ArrayList<>();
                                rows.forEach(dependents::add);
                                return Multi.createFrom().iterable(dependents)
                                        .onItem().transformToUniAndConcatenate(row -> row.getBoolean("unblocks")
                                                ? unblock(tx, row.getLong("id"), actor)
                                                : tasks.find(tx.conn(), row.getLong("id")).invoke(task -> {
                                                    if (task.ready() && task.isOpen()) {
                                                        tx.emit(NewEvent.task(EventType.TASK_READY, actor, task.id(), updates.snapshot(task)
                                                                .put("completed", done.id())));
                                                    }
                                                }).replaceWithVoid())
                                        .collect().asList()
                                        .replaceWithVoid();
                            });
                });
    }

    /** A blocked task whose blockers are all done returns to todo by itself. */
    private Uni<Void> unblock(Tx tx, long id, String actor) {
        return writes.unblock(tx.conn(), id)
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    Long[] blockers = rows.iterator().next().getArrayOfLongs("blockers");
                    String list = blockers == null ? "" : String.join(", ",
                            java.util.Arrays.stream(blockers).map(b -> "#" + b).toList());
                    String body = "Unblocked: every task this one was blocked on (" + list + ") is done; back to todo.";
                    return comments.insert(tx.conn(), id, "system", body, true)
                            .chain(comment -> tasks.find(tx.conn(), id).invoke(task -> {
                                var snapshot = updates.snapshot(task);
                                tx.emit(NewEvent.task(EventType.TASK_STATUS_CHANGED, "system", id, snapshot.copy()
                                        .put("from", TaskStatus.BLOCKED.wire()).put("to", TaskStatus.TODO.wire())
                                        .put("reason", "blockers-done")));
                                tx.emit(NewEvent.task(EventType.TASK_COMMENTED, "system", id, new io.vertx.core.json.JsonObject()
                                        .put("commentId", comment.id()).put("author", comment.author())
                                        .put("body", comment.body()).put("system", true)));
                                if (task.ready()) {
                                    tx.emit(NewEvent.task(EventType.TASK_READY, "system", id, snapshot.copy()));
                                }
                            }))
                            .replaceWithVoid();
                });
    }

    Uni<Void> lock(SqlClient client) {
        return client.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(LOCK)).replaceWithVoid();
    }

    /** @throws ProblemException 409 {@code dependency-cycle} when one of {@code added} leads back to {@code taskId} */
    Uni<Void> checkNoCycle(SqlClient client, long taskId, List<Long> added) {
        if (added.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (added.contains(taskId)) {
            return Uni.createFrom().failure(cycle(taskId));
        }
        return client.preparedQuery(CYCLE).execute(Tuple.of(taskId, added.toArray(Long[]::new)))
                .invoke(rows -> {
                    if (rows.iterator().next().getBoolean("cycle")) {
                        throw cycle(taskId);
                    }
                })
                .replaceWithVoid();
    }

    private static ProblemException cycle(long taskId) {
        return ProblemException.conflict(ProblemCode.DEPENDENCY_CYCLE, "Dependency cycle",
                "These dependencies would make task " + taskId + " depend on itself.").with("taskId", taskId);
    }
}
