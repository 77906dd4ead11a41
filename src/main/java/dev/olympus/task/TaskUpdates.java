package dev.olympus.task;

import dev.olympus.auth.Caller;
import dev.olympus.db.Tx;
import dev.olympus.event.NewEvent;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a permitted patch: the state rules that need the database (dependencies, blocking reason),
 * the UPDATE with its status side effects, the inline comment, and the events.
 */
@ApplicationScoped
class TaskUpdates {

    /** What a patch changed, for the events. */
    record Changes(Task before, List<String> fields, Comment comment) {
        boolean statusChanged(Task after) {
            return before.status() != after.status();
        }

        boolean assigneeChanged(Task after) {
            return !Objects.equals(before.assignee(), after.assignee());
        }
    }

    private final TaskRepository tasks;
    private final CommentRepository comments;
    private final ObjectMapper json;
    private final Duration blockCommentWindow;
    private final Leases leases;
    private final WipLimits wipLimits;

    TaskUpdates(TaskRepository tasks, CommentRepository comments, ObjectMapper json,
                @ConfigProperty(name = "olympus.blocked.comment-window") Duration blockCommentWindow,
                Leases leases, WipLimits wipLimits) {
        this.tasks = tasks;
        this.comments = comments;
        this.json = json;
        this.blockCommentWindow = blockCommentWindow;
        this.leases = leases;
        this.wipLimits = wipLimits;
    }

    Uni<Changes> apply(Tx tx, Caller caller, Task task, TaskPatch patch) {
        TaskStatus to = patch.status() != null && patch.status() != task.status() ? patch.status() : null;
        Uni<Void> checks = Uni.createFrom().voidItem();
        if (to == TaskStatus.IN_PROGRESS && !task.ready()) {
            throw ProblemException.conflict("dependencies-unmet", "Dependencies unmet",
                    "Task " + task.id() + " depends on tasks that are not done.").with("dependsOn", task.dependsOn());
        }
        if (to == TaskStatus.BLOCKED && patch.comment() == null) {
            checks = comments.commentedWithin(tx.conn(), task.id(), caller.name(), blockCommentWindow)
                    .invoke(commented -> {
                        if (!commented) {
                            throw new ProblemException(422, "block-reason-required", "Block reason required",
                                    "Say why the task is blocked: send \"comment\" with the PATCH, or comment on the task first"
                                            + " (within " + blockCommentWindow.toMinutes() + " min).");
                        }
                    }).replaceWithVoid();
        }
        if (patch.has("assignee") && !Objects.equals(patch.assignee(), task.assignee())) {
            checks = checks.chain(() -> checkAssignable(tx.conn(), "assignee", patch.assignee()));
        }
        if (startsHolding(task, patch, to)) {
            String holder = patch.has("assignee") ? patch.assignee() : task.assignee();
            checks = checks.chain(() -> wipLimits.check(tx.conn(), holder));
        }
        return checks
                .chain(() -> update(tx, task, patch, to))
                .chain(fields -> patch.comment() == null
                        ? Uni.createFrom().item(new Changes(task, fields, null))
                        : comments.insert(tx.conn(), task.id(), caller.name(), patch.comment(), false)
                                .map(comment -> new Changes(task, fields, comment)));
    }

    /** @return the names of the fields whose value changed. */
    private Uni<List<String>> update(Tx tx, Task task, TaskPatch patch, TaskStatus to) {
        List<String> sets = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        params.add(task.id());
        if (to != null) {
            fields.add("status");
            params.add(to.wire());
            sets.add("status = $" + params.size());
            sets.add("needs_attention = false, attention_reason = NULL, attention_since = NULL");
            // A self-resolving blockage ends with any status change (Dependencies sets it again for a new one).
            sets.add("blocked_on = NULL");
            switch (to) {
                case IN_PROGRESS -> sets.add("started_at = coalesce(started_at, now())");
                case DONE, FAILED, CANCELED -> sets.add("completed_at = now()");
                case TODO -> sets.add("completed_at = NULL");
                default -> { }
            }
            sets.add(to == TaskStatus.BLOCKED ? "blocked_at = now()" : "blocked_at = NULL");
            if (to != TaskStatus.IN_PROGRESS) {
                sets.add("lease_expires_at = NULL");
            }
        }
        set(patch.has("title") && !Objects.equals(patch.title(), task.title()), "title", patch.title(), sets, params, fields);
        set(patch.has("description") && !Objects.equals(patch.description(), task.description()),
                "description", patch.description(), sets, params, fields);
        set(patch.has("result") && !Objects.equals(patch.result(), task.result()), "result", patch.result(), sets, params, fields);
        set(patch.has("priority") && patch.priority() != task.priority(), "priority",
                patch.priority() == null ? null : patch.priority().wire(), sets, params, fields);
        set(patch.has("labels") && !Objects.equals(patch.labels(), task.labels()), "labels",
                patch.labels() == null ? null : patch.labels().toArray(String[]::new), sets, params, fields);
        boolean reassigned = patch.has("assignee") && !Objects.equals(patch.assignee(), task.assignee());
        if (reassigned) {
            set(true, "assignee", patch.assignee(), sets, params, fields);
        }
        if (startsHolding(task, patch, to)) {
            // A new holding gets a fresh lease (renewed by the holder's heartbeats and writes).
            params.add(leases.seconds());
            sets.add("lease_expires_at = now() + make_interval(secs => $" + params.size() + ")");
        }
        if (reassigned || to == TaskStatus.IN_PROGRESS) {
            // A new holding fences out the previous one: its writes with the old lease epoch now fail (lease-lost).
            sets.add("lease_epoch = lease_epoch + 1");
        }
        if (fields.isEmpty()) {
            return Uni.createFrom().item(fields);
        }
        String sql = "UPDATE tasks SET " + String.join(", ", sets) + ", version = version + 1, updated_at = now() WHERE id = $1";
        return tx.conn().preparedQuery(sql).execute(Tuple.from(params)).replaceWith(fields);
    }

    /** Does this patch start a new holding of the task: a move into in_progress, or a reassignment while in it? */
    private static boolean startsHolding(Task task, TaskPatch patch, TaskStatus to) {
        boolean reassigned = patch.has("assignee") && !Objects.equals(patch.assignee(), task.assignee());
        return to == TaskStatus.IN_PROGRESS || (reassigned && to == null && task.status() == TaskStatus.IN_PROGRESS);
    }

    private static void set(boolean changed, String column, Object value, List<String> sets, List<Object> params,
                            List<String> fields) {
        if (!changed) {
            return;
        }
        params.add(value);
        sets.add(column + " = $" + params.size());
        fields.add(column);
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
            tx.emit(NewEvent.task("task.status_changed", caller.name(), after.id(), snapshot.copy()
                    .put("from", before.status().wire()).put("to", after.status().wire())));
        }
        if (changes.assigneeChanged(after)) {
            tx.emit(NewEvent.task("task.assigned", caller.name(), after.id(), snapshot.copy()
                    .put("from", before.assignee()).put("to", after.assignee())));
        }
        List<String> others = changes.fields().stream().filter(f -> !f.equals("status") && !f.equals("assignee")).toList();
        if (!others.isEmpty()) {
            tx.emit(NewEvent.task("task.updated", caller.name(), after.id(), snapshot.copy()
                    .put("fields", new JsonArray(others))));
        }
        if (changes.comment() != null) {
            tx.emit(NewEvent.task("task.commented", caller.name(), after.id(), new JsonObject()
                    .put("commentId", changes.comment().id())
                    .put("author", changes.comment().author())
                    .put("body", changes.comment().body())));
        }
    }
}
