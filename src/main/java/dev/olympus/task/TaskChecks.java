package dev.olympus.task;

import dev.olympus.auth.Caller;
import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import java.util.List;

/** Checks shared by the task services: existence and the If-Match precondition. */
final class TaskChecks {

    private TaskChecks() {}

    static ProblemException notFound(long id) {
        return ProblemException.notFound("Task " + id);
    }

    /** @throws ProblemException 412 {@code version-conflict} when the client expected another version */
    static void version(Task task, Long expectedVersion) {
        if (expectedVersion != null && expectedVersion != task.version()) {
            throw new ProblemException(412, ProblemCode.VERSION_CONFLICT, "Version conflict",
                    "The task is at version " + task.version() + ", not " + expectedVersion + ".")
                    .with("currentVersion", task.version());
        }
    }

    /**
     * The former holder of a canceled task (the agent that held it when it was canceled) may not write it any more:
     * 409 {@code task-canceled}, which tells it more than {@code lease-lost} or {@code invalid-transition} would.
     * Anyone else goes on to the ordinary rules (a planner may reopen it).
     */
    static Uni<Void> notCanceledUnder(TaskRepository tasks, SqlClient client, Caller caller, Task task) {
        if (task.status() != TaskStatus.CANCELED || !caller.name().equals(task.assignee())) {
            return Uni.createFrom().voidItem();
        }
        return tasks.canceledUnder(client, task.id(), caller.name()).invoke(held -> {
            if (held) {
                throw canceled(task.id());
            }
        }).replaceWithVoid();
    }

    static ProblemException canceled(long id) {
        return ProblemException.conflict(ProblemCode.TASK_CANCELED, "Task canceled",
                "Task " + id + " was canceled: stop working on it (its comments say why).").with("taskId", id);
    }

    /** Fails with 400 on {@code dependsOn} when one of {@code ids} names no task. */
    static Uni<Void> dependenciesExist(TaskRepository tasks, SqlClient client, List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tasks.missing(client, ids).invoke(missing -> {
            if (!missing.isEmpty()) {
                throw ProblemException.validation("dependsOn", "no task with id " + missing.getFirst());
            }
        }).replaceWithVoid();
    }
}
