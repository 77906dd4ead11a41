package dev.olympus.task;

import dev.olympus.auth.Caller;
import dev.olympus.db.Transactions;
import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A plan: many tasks created in one transaction through {@link TaskCreation}, all or nothing. Refs are resolved and
 * the plan's own dependency graph checked here, before the database is touched: an unknown or repeated ref, a
 * self-dependency or an invalid entry is a 400 naming {@code tasks[i].field}; a cycle among the plan's tasks is 409
 * {@code dependency-cycle} (a new task cannot close a cycle through existing tasks: none of them depends on it).
 */
@ApplicationScoped
public class Plans {

    private final Transactions transactions;
    private final TaskCreation creation;

    Plans(Transactions transactions, TaskCreation creation) {
        this.transactions = transactions;
        this.creation = creation;
    }

    public Uni<List<Task>> create(Caller caller, PlanRequest plan) {
        if (!caller.plans()) {
            throw ProblemException.forbidden("Only orchestrators and operators create plans.");
        }
        List<TaskCreation.NewTask> batch = resolve(plan);
        checkAcyclic(batch);
        return transactions.inTransaction(tx -> creation.create(tx, caller, batch));
    }

    static List<TaskCreation.NewTask> resolve(PlanRequest plan) {
        Map<String, Integer> refs = new HashMap<>();
        for (int i = 0; i < plan.tasks().size(); i++) {
            String ref = plan.tasks().get(i).ref();
            if (ref != null && refs.putIfAbsent(ref, i) != null) {
                throw ProblemException.validation("tasks[" + i + "].ref", "ref '" + ref + "' is already used by tasks["
                        + refs.get(ref) + "]");
            }
        }
        List<TaskCreation.NewTask> batch = new ArrayList<>();
        for (int i = 0; i < plan.tasks().size(); i++) {
            PlanRequest.Item item = plan.tasks().get(i);
            LinkedHashSet<Long> ids = new LinkedHashSet<>();
            LinkedHashSet<Integer> indexes = new LinkedHashSet<>();
            List<Object> dependsOn = item.dependsOn() == null ? List.of() : item.dependsOn();
            for (int j = 0; j < dependsOn.size(); j++) {
                String field = "tasks[" + i + "].dependsOn[" + j + "]";
                Object dep = dependsOn.get(j);
                if (dep instanceof String ref) {
                    Integer index = refs.get(ref);
                    if (index == null) {
                        throw ProblemException.validation(field, "no task of this plan has ref '" + ref + "'");
                    }
                    if (index == i) {
                        throw ProblemException.validation(field, "a task cannot depend on itself");
                    }
                    indexes.add(index);
                } else if (dep instanceof Number n && (dep instanceof Integer || dep instanceof Long) && n.longValue() > 0) {
                    ids.add(n.longValue());
                } else {
                    throw ProblemException.validation(field, "must be a ref of this plan (string) or a task id (positive integer)");
                }
            }
            Long parent = item.parentId() != null ? item.parentId() : plan.parentId();
            batch.add(new TaskCreation.NewTask(item.toRequest(), List.copyOf(ids), List.copyOf(indexes), parent,
                    "tasks[" + i + "]."));
        }
        return batch;
    }

    /** Depth-first search over the plan's ref edges; a back edge is a cycle. */
    static void checkAcyclic(List<TaskCreation.NewTask> batch) {
        int[] state = new int[batch.size()]; // 0 new, 1 on the path, 2 done
        for (int start = 0; start < batch.size(); start++) {
            if (state[start] != 0) {
                continue;
            }
            // iterative DFS: stack of (node, next edge index)
            List<int[]> stack = new ArrayList<>();
            stack.add(new int[] {start, 0});
            state[start] = 1;
            while (!stack.isEmpty()) {
                int[] top = stack.getLast();
                List<Integer> deps = batch.get(top[0]).dependsOnIndexes();
                if (top[1] < deps.size()) {
                    int next = deps.get(top[1]++);
                    if (state[next] == 1) {
                        throw ProblemException.conflict(ProblemCode.DEPENDENCY_CYCLE, "Dependency cycle",
                                        "tasks[" + top[0] + "] and tasks[" + next + "] depend on each other (through refs).")
                                .with("taskIndex", top[0]).with("dependsOnIndex", next);
                    }
                    if (state[next] == 0) {
                        state[next] = 1;
                        stack.add(new int[] {next, 0});
                    }
                } else {
                    state[top[0]] = 2;
                    stack.removeLast();
                }
            }
        }
    }
}
