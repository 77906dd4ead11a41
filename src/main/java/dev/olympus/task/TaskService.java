package dev.olympus.task;

import dev.olympus.auth.Caller;
import dev.olympus.auth.KillFence;
import dev.olympus.auth.Role;
import dev.olympus.db.Transactions;
import dev.olympus.db.Tx;
import dev.olympus.usage.Usage;
import dev.olympus.usage.UsageConfig;
import dev.olympus.usage.UsageRecorder;
import dev.olympus.web.Cursors;
import dev.olympus.web.Page;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The rules of tasks: who may create and change what, and which events each change leaves. */
@ApplicationScoped
public class TaskService {

    private final Transactions transactions;
    private final TaskRepository tasks;
    private final TaskUpdates updates;
    private final Dependencies dependencies;
    private final TaskWrites writes;
    private final TaskCreation creation;
    private final UsageRecorder usage;
    private final UsageConfig usageLimits;

    TaskService(Transactions transactions, TaskRepository tasks, TaskUpdates updates, Dependencies dependencies,
                TaskWrites writes, TaskCreation creation, UsageRecorder usage, UsageConfig usageLimits) {
        this.usage = usage;
        this.usageLimits = usageLimits;
        this.transactions = transactions;
        this.tasks = tasks;
        this.updates = updates;
        this.dependencies = dependencies;
        this.writes = writes;
        this.creation = creation;
    }

    public Uni<Task> create(Caller caller, CreateTaskRequest request) {
        if (!caller.plans()) {
            throw ProblemException.forbidden("Only orchestrators and operators create tasks.");
        }
        List<Long> dependsOn = request.dependsOn() == null ? List.of() : request.dependsOn().stream().distinct().toList();
        var task = new TaskCreation.NewTask(request, dependsOn, List.of(), request.parentId(), "");
        return transactions.inTransaction(tx -> creation.create(tx, caller, List.of(task)).map(List::getFirst));
    }

    public Uni<Task> get(long id) {
        return tasks.find(transactions.pool(), id).onItem().ifNull().failWith(() -> TaskChecks.notFound(id));
    }

    public Uni<Page<Task>> list(TaskFilter filter) {
        return tasks.list(transactions.pool(), filter).map(found -> {
            boolean more = found.size() > filter.limit();
            List<Task> page = more ? found.subList(0, filter.limit()) : found;
            String next = more ? Cursors.encode(Integer.toString(TaskRepository.rank(page.getLast())),
                    Long.toString(page.getLast().id())) : null;
            return new Page<>(page, next);
        });
    }

    /** {@link #patch(Caller, long, TaskPatch, Long, Long)} without a lease epoch. */
    public Uni<Task> patch(Caller caller, long id, TaskPatch patch, Long expectedVersion) {
        return patch(caller, id, patch, expectedVersion, null);
    }

    /**
     * Applies a merge patch. Checks run in the order the contract gives: permission (403), then the
     * precondition (412), then the state (409/422; {@code lease-lost} first). The row is locked first, so
     * concurrent patches of one task are applied one after the other, each against the version it really changes.
     *
     * @param leaseEpoch the lease epoch the writer believes it holds ({@link Leases#HEADER}), or null
     */
    public Uni<Task> patch(Caller caller, long id, TaskPatch patch, Long expectedVersion, Long leaseEpoch) {
        if (caller.is(Role.OBSERVER)) {
            throw ProblemException.forbidden("Observers are read-only.");
        }
        Usage reported = Usage.parse(patch.usage(), "usage", usageLimits);
        // Usage first, in its own transaction (budget locks before task locks, see UsageRecorder): the spend is a fact
        // and stays recorded even when the rest of the patch is refused.
        return usage.record(caller, id, reported).chain(() -> applyPatch(caller, id, patch, expectedVersion, leaseEpoch));
    }

    private Uni<Task> applyPatch(Caller caller, long id, TaskPatch patch, Long expectedVersion, Long leaseEpoch) {
        return transactions.inTransaction(tx -> locked(tx, caller, id, patch)
                .onItem().ifNull().failWith(() -> TaskChecks.notFound(id))
                .chain(task -> ClaimService.mayReview(tx.conn(), caller, patch.status() != null)
                        .invoke(reviewer -> checkFieldPermissions(caller, task, patch, reviewer))
                        .call(reviewer -> TaskChecks.notCanceledUnder(tasks, tx.conn(), caller, task))
                        .map(reviewer -> {
                    // A stale holder hears lease-lost whatever it sends (its move may no longer fit the new status).
                    Leases.checkEpoch(task, leaseEpoch);
                    TaskStatus to = patch.status() != null && patch.status() != task.status() ? patch.status() : null;
                    if (to != null) {
                        Transitions.check(caller, task, to, reviewer);
                    }
                    TaskChecks.version(task, expectedVersion);
                    if (to != null) {
                        Transitions.checkReview(caller, task, to, patch);
                    }
                    checkEvidence(task, patch, to);
                    return task;
                }))
                .chain(task -> {
                    Dependencies.checkBlockedOn(task, patch);
                    return updates.apply(tx, caller, task, patch)
                            .chain(changes -> dependencies.block(tx, task, changes, patch.blockedOn()));
                })
                // The lease renewal and the read-back travel together (one round trip; the read sees the renewal).
                .chain(changed -> Uni.combine().all()
                        .unis(writes.renewLease(tx.conn(), id, caller.name()), tasks.find(tx.conn(), id))
                        .with((renewed, task) -> task)
                        .invoke(task -> updates.emit(tx, caller, changed, task))
                        .call(task -> changed.statusChanged(task) && task.status() == TaskStatus.DONE
                                ? dependencies.completed(tx, task, caller.name())
                                : Uni.createFrom().voidItem())));
    }

    /** The kill fence first (a kill locks the agent, then its tasks), then blockedOn's tasks, then this task. */
    private Uni<Task> locked(Tx tx, Caller caller, long id, TaskPatch patch) {
        if (patch.blockedOn() == null) {
            // The fence and the task's lock travel together: one round trip, in this order on the connection.
            return Uni.combine().all().unis(KillFence.holdAlive(tx.conn(), caller), tasks.findForUpdate(tx.conn(), id))
                    .with((alive, task) -> task);
        }
        return KillFence.holdAlive(tx.conn(), caller)
                .chain(() -> dependencies.prepareBlockedOn(tx, patch))
                .chain(() -> tasks.findForUpdate(tx.conn(), id));
    }

    /** Evidence comes only with a move into in_review or done, names existing criteria, and covers them all. */
    private static void checkEvidence(Task task, TaskPatch patch, TaskStatus to) {
        boolean delivers = to == TaskStatus.IN_REVIEW || to == TaskStatus.DONE;
        if (patch.evidence() != null) {
            if (!delivers) {
                throw ProblemException.validation("evidence", "is sent only with a move to in_review or done");
            }
            Evidences.checkIndexes(task, patch.evidence());
        }
        if (delivers && !task.acceptanceCriteria().isEmpty()) {
            Evidences.checkCovered(task, patch.evidence() != null ? patch.evidence() : task.evidence());
        }
    }

    private void checkFieldPermissions(Caller caller, Task task, TaskPatch patch, boolean reviewer) {
        if (caller.plans()) {
            return;
        }
        if (reviewer && task.status() == TaskStatus.IN_REVIEW && !caller.name().equals(task.assignee())) {
            // A reviewing worker decides reviews of tasks it is not assigned to: that move and its reason, nothing else.
            for (String field : patch.present()) {
                if (!TaskPatch.REVIEWER_FIELDS.contains(field)) {
                    throw ProblemException.forbidden("A reviewer sends only 'status' and 'comment' on a task it does not hold.");
                }
            }
            return;
        }
        if (!caller.name().equals(task.assignee())) {
            throw ProblemException.forbidden("Workers change only the tasks assigned to them.");
        }
        for (String field : TaskPatch.PLANNER_FIELDS) {
            if (patch.has(field)) {
                throw ProblemException.forbidden("Only orchestrators and operators change '" + field + "'.");
            }
        }
    }

}
