package dev.olympus.task;

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
