package dev.olympus.task;

import dev.olympus.auth.Caller;
import dev.olympus.db.Tx;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import dev.olympus.ratelimit.TaskCreationGuard;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one creation path of tasks, for a single task ({@code POST /tasks}) and a plan ({@code POST /plans}) alike:
 * assignability, existence of referenced tasks, the guard rails for the whole batch ({@link TaskCreationGuard}),
 * then a handful of statements whatever the batch size (one insert of all tasks that answers them, and when they have
 * dependencies one insert of all edges and one read), and a
 * {@code task.created} event per task. Runs inside the caller's transaction: a failure anywhere creates nothing.
 */
@ApplicationScoped
class TaskCreation {

    /**
     * A task to create with its dependencies resolved: ids of existing tasks, and indexes of tasks of the same batch
     * (always earlier or later in the batch; the plan checked them for cycles).
     *
     * @param field what bad input names: {@code ""} for a single task, {@code "tasks[3]."} in a plan
     */
    record NewTask(CreateTaskRequest request, List<Long> dependsOnIds, List<Integer> dependsOnIndexes, Long parentId,
                   String field) {}

    private final TaskRepository tasks;
    private final TaskUpdates updates;
    private final TaskWrites writes;
    private final TaskCreationGuard guard;
    private final boolean reviewByDefault;

    TaskCreation(TaskRepository tasks, TaskUpdates updates, TaskWrites writes, TaskCreationGuard guard,
                 @ConfigProperty(name = "olympus.review.required-by-default") boolean reviewByDefault) {
        this.tasks = tasks;
        this.updates = updates;
        this.writes = writes;
        this.guard = guard;
        this.reviewByDefault = reviewByDefault;
    }

    /** @return the created tasks, in the batch's order */
    Uni<List<Task>> create(Tx tx, Caller caller, List<NewTask> batch) {
        if (!caller.plans()) {
            throw ProblemException.forbidden("Only orchestrators and operators create tasks.");
        }
        Map<String, String> assignees = new LinkedHashMap<>(); // agent -> the first field naming it
        Map<Long, String> referenced = new LinkedHashMap<>();  // existing task id -> the first field naming it
        for (NewTask task : batch) {
            if (task.request().assignee() != null) {
                assignees.putIfAbsent(task.request().assignee(), task.field() + "assignee");
            }
            for (int j = 0; j < task.dependsOnIds().size(); j++) {
                referenced.putIfAbsent(task.dependsOnIds().get(j), task.field() + "dependsOn"
                        + (task.field().isEmpty() ? "" : "[" + j + "]"));
            }
            if (task.parentId() != null) {
                referenced.putIfAbsent(task.parentId(), task.field() + "parentId");
            }
        }
        Uni<Void> checks = Uni.createFrom().voidItem();
        for (var assignee : assignees.entrySet()) {
            checks = checks.chain(() -> updates.checkAssignable(tx.conn(), assignee.getValue(), assignee.getKey()));
        }
        return checks
                .chain(() -> referenced.isEmpty() ? Uni.createFrom().item(List.<Long>of())
                        : tasks.missing(tx.conn(), new ArrayList<>(referenced.keySet())))
                .invoke(missing -> {
                    if (!missing.isEmpty()) {
                        throw ProblemException.validation(referenced.get(missing.getFirst()), "no task with id " + missing.getFirst());
                    }
                })
                // Guard rails: creation budget, backlog cap, duplicates, for the whole batch (under a per-creator lock).
                .chain(() -> guard.admit(tx.conn(), caller, batch.stream().map(t -> t.request().title()).toList()))
                .chain(() -> writes.insertAll(tx.conn(), batch, caller.name(), reviewByDefault))
                .chain(inserted -> {
                    // Without dependencies the insert's own answer is the task; with them, read them back after the
                    // edges are in (dependsOn, ready).
                    List<Long> ids = inserted.stream().map(Task::id).toList();
                    List<long[]> edges = edges(batch, ids);
                    return edges.isEmpty() ? Uni.createFrom().item(inserted)
                            : tasks.insertDependencies(tx.conn(), edges).chain(() -> tasks.findAll(tx.conn(), ids));
                })
                .invoke(created -> created.forEach(task -> tx.emit(NewEvent.task(EventType.TASK_CREATED, caller.name(),
                        task.id(), updates.snapshot(task)))));
    }

    /** Every dependency edge of the batch as (task, depends on) pairs of ids. */
    private static List<long[]> edges(List<NewTask> batch, List<Long> ids) {
        List<long[]> edges = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            long id = ids.get(i);
            batch.get(i).dependsOnIds().forEach(dep -> edges.add(new long[] {id, dep}));
            batch.get(i).dependsOnIndexes().forEach(dep -> edges.add(new long[] {id, ids.get(dep)}));
        }
        return edges;
    }
}
