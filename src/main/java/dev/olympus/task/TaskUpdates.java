package dev.olympus.task;

import dev.olympus.auth.Caller;
import dev.olympus.db.Tx;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies a permitted patch: the state rules that need the database (dependencies, blocking reason, WIP limit,
 * assignability), the write ({@link TaskWrites#patch}), the inline comment, and the events.
 */
@ApplicationScoped
class TaskUpdates {

    /** What a patch changed, for the events. */
    record Changes(Task before, List<String> fields, Comment comment, TaskWrites.ReviewDecision review) {
        boolean statusChanged(Task after) {
            return before.status() != after.status();
        }

        boolean assigneeChanged(Task after) {
            return !Objects.equals(before.assignee(), after.assignee());
        }
    }

    private final CommentRepository comments;
    private final ObjectMapper json;
    private final BlockedConfig blocked;
    private final TaskWrites writes;
    private final WipLimits wipLimits;

    TaskUpdates(CommentRepository comments, ObjectMapper json,
                BlockedConfig blocked, TaskWrites writes, WipLimits wipLimits) {
        this.comments = comments;
        this.json = json;
        this.blocked = blocked;
        this.writes = writes;
        this.wipLimits = wipLimits;
    }

    Uni<Changes> apply(Tx tx, Caller caller, Task task, TaskPatch patch) {
        TaskStatus to = patch.status() != null && patch.status() != task.status() ? patch.status() : null;
        Uni<Void> checks = Uni.createFrom().voidItem();
        if (to == TaskStatus.DONE && task.children().open() > 0) {
            throw ProblemException.conflict(ProblemCode.CHILDREN_OPEN, "Children open",
                    "Task " + task.id() + " has " + task.children().open() + " open children: finish or cancel them first.")
                    .with("children", task.children());
        }
        TaskWrites.ReviewDecision review = to != null && Transitions.isReview(caller, task, to)
                ? new TaskWrites.ReviewDecision(caller.name(), to != TaskStatus.DONE) : null;
        if (to == TaskStatus.IN_PROGRESS && !task.ready()) {
            throw ProblemException.conflict(ProblemCode.DEPENDENCIES_UNMET, "Dependencies unmet",
                    "Task " + task.id() + " depends on tasks that are not done.").with("dependsOn", task.dependsOn());
        }
        if (to == TaskStatus.BLOCKED && patch.comment() == null) {
            checks = comments.commentedWithin(tx.conn(), task.id(), caller.name(), blocked.commentWindow())
                    .invoke(commented -> {
                        if (!commented) {
                            throw new ProblemException(422, ProblemCode.BLOCK_REASON_REQUIRED, "Block reason required",
                                    "Say why the task is blocked: send \"comment\" with the PATCH, or comment on the task first"
                                            + " (within " + blocked.commentWindow().toMinutes() + " min).");
                        }
                    }).replaceWithVoid();
        }
        if (patch.has("assignee") && !Objects.equals(patch.assignee(), task.assignee())) {
            checks = checks.chain(() -> checkAssignable(tx.conn(), "assignee", patch.assignee()));
        }
        if (TaskWrites.startsHolding(task, patch, to)) {
            String holder = patch.has("assignee") ? patch.assignee() : task.assignee();
            if (to == TaskStatus.IN_PROGRESS && task.status() == TaskStatus.TODO) {
                checks = checks.chain(() -> checkNotPaused(tx.conn(), holder));
            }
            checks = checks.chain(() -> wipLimits.check(tx.conn(), holder));
        }
        return checks
                .chain(() -> writes.patch(tx.conn(), task, patch, to, review))
                .chain(fields -> patch.comment() == null
                        ? Uni.createFrom().item(new Changes(task, fields, null, review))
                        : comments.insert(tx.conn(), task.id(), caller.name(), patch.comment(), false)
                                .map(comment -> new Changes(task, fields, comment, review)));
    }

    /**
     * An assignee must be an existing agent that can work: not an observer, not killed (what a killed agent already
     * had waits for its revival or a reassignment, but it gets nothing new).
     *
     * <p>{@code FOR SHARE} orders this against a kill, which locks the agent's row {@code FOR NO KEY UPDATE}: an
     * assignment that reads the agent first commits before the kill goes on, and one that comes later waits for the
     * kill's commit and then reads the agent as killed. (The foreign key's own check only takes {@code FOR KEY SHARE},
     * which a kill does not wait for.)
     */
    Uni<Void> checkAssignable(SqlClient client, String field, String name) {
        if (name == null) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("SELECT role, state FROM agents WHERE name = $1 FOR SHARE").execute(Tuple.of(name))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ProblemException.validation(field, "no agent named '" + name + "'");
                    }
                    Row agent = rows.iterator().next();
                    if ("observer".equals(agent.getString("role"))) {
                        throw ProblemException.validation(field, "observers cannot be assigned tasks");
                    }
                    if ("killed".equals(agent.getString("state"))) {
                        throw ProblemException.validation(field,
                                "agent '" + name + "' is killed: revive it first, or assign another agent");
                    }
                })
                .replaceWithVoid();
    }

    /** A paused agent keeps what it holds but starts nothing new: 409 {@code agent-paused}. */
    private static Uni<Void> checkNotPaused(SqlClient client, String holder) {
        if (holder == null) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("SELECT state_reason FROM agents WHERE name = $1 AND state = 'paused'")
                .execute(Tuple.of(holder))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        String reason = rows.iterator().next().getString("state_reason");
                        throw ProblemException.conflict(ProblemCode.AGENT_PAUSED, "Agent paused",
                                "Agent '" + holder + "' is paused" + (reason == null ? "" : " (" + reason + ")")
                                        + ": it finishes what it holds but starts nothing new until it is resumed.")
                                .with("agent", holder);
                    }
                })
                .replaceWithVoid();
    }

    /** Column names as the task's JSON names them ({@code review_required} -> {@code reviewRequired}). */
    private static String camelCase(String column) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : column.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    /** The task as events carry it, so that subscribers need not fetch it again. */
    @SuppressWarnings("unchecked")
    JsonObject snapshot(Task task) {
        return new JsonObject().put("task", new JsonObject(json.convertValue(task, Map.class)));
    }

    /** One event per kind of change: a status move, an assignment, other fields, a comment. */
    void emit(Tx tx, Caller caller, Changes changes, Task after) {
        Task before = changes.before();
        JsonObject snapshot = snapshot(after);
        if (changes.statusChanged(after)) {
            JsonObject data = snapshot.copy().put("from", before.status().wire()).put("to", after.status().wire());
            if (after.evidence() != null && changes.fields().contains("evidence")) {
                data.put("evidence", Evidences.toJsonArray(after.evidence()));
            }
            if (changes.review() != null) {
                // Read by velocity (accepted, rejected, firstPassAcceptance): see migration V12.
                data.put("review", changes.review().rejected() ? "rejected" : "accepted")
                        .put("reviewer", changes.review().reviewer());
                if (!changes.review().rejected()) {
                    data.put("firstPass", before.rejections() == 0);
                }
            }
            tx.emit(NewEvent.task(EventType.TASK_STATUS_CHANGED, caller.name(), after.id(), data));
        }
        if (changes.assigneeChanged(after)) {
            tx.emit(NewEvent.task(EventType.TASK_ASSIGNED, caller.name(), after.id(), snapshot.copy()
                    .put("from", before.assignee()).put("to", after.assignee())));
        }
        List<String> others = changes.fields().stream().filter(f -> !f.equals("status") && !f.equals("assignee"))
                .map(TaskUpdates::camelCase).toList();
        if (!others.isEmpty()) {
            tx.emit(NewEvent.task(EventType.TASK_UPDATED, caller.name(), after.id(), snapshot.copy()
                    .put("fields", new JsonArray(others))));
        }
        if (changes.comment() != null) {
            tx.emit(NewEvent.task(EventType.TASK_COMMENTED, caller.name(), after.id(), new JsonObject()
                    .put("commentId", changes.comment().id())
                    .put("author", changes.comment().author())
                    .put("body", changes.comment().body())));
        }
    }
}
