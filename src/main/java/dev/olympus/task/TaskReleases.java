package dev.olympus.task;

import dev.olympus.db.Tx;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Gives an agent's {@code in_progress} tasks back: {@code todo}, unassigned, with a system comment saying why and the
 * events of each change, all in the caller's transaction (the kill switch).
 */
@ApplicationScoped
public class TaskReleases {

    private final TaskRepository tasks;
    private final TaskWrites writes;
    private final CommentRepository comments;
    private final TaskUpdates updates;

    TaskReleases(TaskRepository tasks, TaskWrites writes, CommentRepository comments, TaskUpdates updates) {
        this.tasks = tasks;
        this.writes = writes;
        this.comments = comments;
        this.updates = updates;
    }

    /**
     * Releases every {@code in_progress} task of {@code agent}. The UPDATE locks the rows, so a concurrent write of
     * one of these tasks either commits first (and is then released) or waits and sees the released task; the
     * lease epoch moves on so that lease-bound writes of the old holder fail.
     *
     * @return the ids of the released tasks
     */
    public Uni<List<Long>> releaseInProgress(Tx tx, String agent, String actor, String comment) {
        return release(tx, agent, actor, comment, false);
    }

    /**
     * Like {@link #releaseInProgress}, but the tasks stay assigned to {@code agent} (a paused agent, see the budget
     * stop in {@code dev.olympus.usage}): nobody else picks them up unasked, the agent claims them again once resumed,
     * and its writes bound to the ended lease get 409 {@code lease-lost}.
     */
    public Uni<List<Long>> releaseInProgressKeepingAssignee(Tx tx, String agent, String actor, String comment) {
        return release(tx, agent, actor, comment, true);
    }

    private Uni<List<Long>> release(Tx tx, String agent, String actor, String comment, boolean keepAssignee) {
        return writes.releaseHeldBy(tx.conn(), agent, keepAssignee)
                .chain(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getLong(0)));
                    ids.sort(null);
                    return Multi.createFrom().iterable(ids)
                            .onItem().transformToUniAndConcatenate(id -> record(tx, id, agent, actor, comment, keepAssignee))
                            .collect().asList()
                            .replaceWith(ids);
                });
    }

    private Uni<Void> record(Tx tx, long id, String agent, String actor, String body, boolean keepAssignee) {
        return comments.insert(tx.conn(), id, "system", body, true)
                .chain(comment -> tasks.find(tx.conn(), id).invoke(task -> {
                    JsonObject snapshot = updates.snapshot(task);
                    tx.emit(NewEvent.task(EventType.TASK_STATUS_CHANGED, actor, id, snapshot.copy()
                            .put("from", TaskStatus.IN_PROGRESS.wire()).put("to", TaskStatus.TODO.wire())));
                    if (!keepAssignee) {
                        tx.emit(NewEvent.task(EventType.TASK_ASSIGNED, actor, id, snapshot.copy().put("from", agent).putNull("to")));
                    }
                    tx.emit(NewEvent.task(EventType.TASK_COMMENTED, actor, id, new JsonObject()
                            .put("commentId", comment.id())
                            .put("author", comment.author())
                            .put("body", comment.body())
                            .put("system", true)));
                }))
                .replaceWithVoid();
    }
}
