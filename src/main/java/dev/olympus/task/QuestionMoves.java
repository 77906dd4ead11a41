package dev.olympus.task;

import dev.olympus.db.Tx;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * What a question does to its task (the task's state machine stays in this package): asking blocks it, the answer
 * returns it to where it was (docs/state-machine.md, "Questions"). Used by {@code dev.olympus.question}.
 */
@ApplicationScoped
public class QuestionMoves {

    static final String REASON_ASKED = "question-asked";
    static final String REASON_ANSWERED = "question-answered";

    private final TaskRepository tasks;
    private final TaskWrites writes;
    private final TaskUpdates updates;
    private final CommentRepository comments;

    public QuestionMoves(TaskRepository tasks, TaskWrites writes, TaskUpdates updates, CommentRepository comments) {
        this.tasks = tasks;
        this.writes = writes;
        this.updates = updates;
        this.comments = comments;
    }

    /** The task, locked for the rest of the transaction; 404 when there is none. */
    public Uni<Task> lock(SqlClient client, long id) {
        return tasks.findForUpdate(client, id).onItem().ifNull().failWith(() -> TaskChecks.notFound(id));
    }

    /** The statuses a question may be asked from: the open ones a task can leave for {@code blocked}, and blocked. */
    public static boolean canAskFrom(TaskStatus status) {
        return status == TaskStatus.TODO || status == TaskStatus.IN_PROGRESS || status == TaskStatus.BLOCKED;
    }

    /** Blocks the task for question {@code questionId} (unless it is blocked already). @return the task after */
    public Uni<Task> block(Tx tx, String actor, Task task, long questionId) {
        if (task.status() == TaskStatus.BLOCKED) {
            return Uni.createFrom().item(task);
        }
        return writes.blockForQuestion(tx.conn(), task.id())
                .chain(() -> tasks.find(tx.conn(), task.id()))
                .invoke(after -> tx.emit(NewEvent.task(EventType.TASK_STATUS_CHANGED, actor, task.id(), updates.snapshot(after)
                        .put("from", task.status().wire()).put("to", after.status().wire())
                        .put("reason", REASON_ASKED).put("questionId", questionId))));
    }

    /** Returns a blocked task to {@code to} after question {@code questionId} was answered. @return the task after */
    public Uni<Task> returnTo(Tx tx, String actor, Task task, TaskStatus to, long questionId) {
        return writes.returnFromQuestion(tx.conn(), task.id(), to)
                .chain(() -> tasks.find(tx.conn(), task.id()))
                .invoke(after -> tx.emit(NewEvent.task(EventType.TASK_STATUS_CHANGED, actor, task.id(), updates.snapshot(after)
                        .put("from", task.status().wire()).put("to", after.status().wire())
                        .put("reason", REASON_ANSWERED).put("questionId", questionId))));
    }

    /**
     * Returns a blocked task whose holder is gone (killed while its question was open) to the pool: todo,
     * unassigned, its holding ended (a new lease epoch), as the kill does with the tasks an agent holds in progress.
     * The commit wakes waiting claims ({@link ClaimWaiter}) like every move that makes a task claimable.
     *
     * @return the task after
     */
    public Uni<Task> returnToPool(Tx tx, String actor, Task task, long questionId) {
        TaskPatch unassign = new TaskPatch(Set.of("assignee"), null, null, null, null, null, null, null, null, null, null,
                null, null, null);
        return writes.patch(tx.conn(), task, unassign, TaskStatus.TODO, null)
                .chain(() -> tasks.find(tx.conn(), task.id()))
                .invoke(after -> {
                    JsonObject snapshot = updates.snapshot(after);
                    tx.emit(NewEvent.task(EventType.TASK_STATUS_CHANGED, actor, task.id(), snapshot.copy()
                            .put("from", task.status().wire()).put("to", after.status().wire())
                            .put("reason", REASON_ANSWERED).put("questionId", questionId)));
                    tx.emit(NewEvent.task(EventType.TASK_ASSIGNED, actor, task.id(), snapshot.copy()
                            .put("from", task.assignee()).putNull("to").put("reason", REASON_ANSWERED)));
                });
    }

    /** Adds the answer as the answerer's comment on the task (task.commented). */
    public Uni<Comment> comment(Tx tx, long taskId, String author, String body) {
        return comments.insert(tx.conn(), taskId, author, body, false)
                .invoke(comment -> tx.emit(NewEvent.task(EventType.TASK_COMMENTED, author, taskId, new JsonObject()
                        .put("commentId", comment.id()).put("author", comment.author()).put("body", comment.body()))));
    }

    /** The task as events carry it. */
    public JsonObject snapshot(Task task) {
        return updates.snapshot(task);
    }
}
