package dev.olympus.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.olympus.task.ClaimWaiter;
import dev.olympus.wait.WaitParam;
import dev.olympus.task.Comment;
import dev.olympus.task.CommentService;
import dev.olympus.task.CreateCommentRequest;
import dev.olympus.task.CreateTaskRequest;
import dev.olympus.task.OrchestrationRequests;
import dev.olympus.task.Priority;
import dev.olympus.task.Task;
import dev.olympus.task.TaskFilter;
import dev.olympus.task.TaskPatch;
import dev.olympus.task.TaskService;
import dev.olympus.task.TaskStatus;
import dev.olympus.web.Limits;
import dev.olympus.web.ProblemException;
import dev.olympus.web.StrictStrings;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolGuardrails;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Task tools. Each one calls the service method the REST endpoint calls, with the caller the request authenticated,
 * so permissions, transitions and guard rails are the REST rules, not a copy of them.
 */
@ApplicationScoped
public class TaskTools {

    private final TaskService tasks;
    private final ClaimWaiter claims;
    private final CommentService comments;
    private final ToolResults results;
    private final Validator validator;
    private final ObjectMapper mapper;

    public TaskTools(TaskService tasks, ClaimWaiter claims, CommentService comments, ToolResults results,
                     Validator validator, ObjectMapper mapper) {
        this.tasks = tasks;
        this.claims = claims;
        this.comments = comments;
        this.results = results;
        this.validator = validator;
        this.mapper = mapper;
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "list_tasks", description = """
            List or search tasks (any role). Filters combine; all are optional. Answers {"items": [task...], \
            "nextCursor": "..." | null}: pass nextCursor back as `cursor` for the next page. Order: priority \
            (critical first), then oldest first. Example: your open work is assignee="me", \
            status="todo,in_progress,in_review,blocked".""",
            annotations = @Tool.Annotations(title = "List tasks", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    public Uni<ToolResponse> listTasks(
            @ToolArg(description = "Comma list of agent names; `me` is you", required = false) String assignee,
            @ToolArg(description = "Comma list of statuses: todo, in_progress, in_review, blocked, done, failed, canceled",
                    required = false) String status,
            @ToolArg(description = "Comma list of priorities: critical, high, medium, low", required = false) String priority,
            @ToolArg(description = "Comma list of labels; a task matches when it carries any of them", required = false)
            String label,
            @ToolArg(description = "true: only tasks whose dependencies are all done; false: only the others",
                    required = false) Boolean ready,
            @ToolArg(description = "true: only tasks the scheduler flagged (lease expired, blocked too long)",
                    required = false) Boolean needsAttention,
            @ToolArg(description = "Comma list of creator agent names; `me` is you", required = false) String createdBy,
            @ToolArg(description = "Only tasks changed at or after this ISO-8601 instant, e.g. 2026-01-31T12:00:00Z",
                    required = false) String updatedSince,
            @ToolArg(description = "Text searched literally, case-insensitively, in title and description",
                    required = false) String q,
            @ToolArg(description = "Page size, 1..200 (default 50)", required = false) Integer limit,
            @ToolArg(description = "nextCursor of the previous page", required = false) String cursor) {
        return results.run(caller -> {
            var params = new TaskFilter.Params(assignee, status, priority, label, bool(ready), bool(needsAttention),
                    createdBy, updatedSince, q, cursor);
            return tasks.list(TaskFilter.parse(params, caller, Limits.limit(limit(limit))));
        });
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "get_task", description = """
            Get one task (any role) with its dependencies (id, title, status, assignee of each) and its comments, \
            oldest first. Answers {"task", "dependencies", "comments", "commentsNextCursor"}. `task.version` is what \
            update_task's expectedVersion compares against.""",
            annotations = @Tool.Annotations(title = "Get a task", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    public Uni<ToolResponse> getTask(
            @ToolArg(description = "The task's id") long taskId,
            @ToolArg(description = "How many comments to include, 1..200 (default 50)", required = false)
            Integer commentLimit,
            @ToolArg(description = "commentsNextCursor of a previous call, for older comments' continuation",
                    required = false) String commentsCursor) {
        return results.run(caller -> details(taskId, commentsCursor, Limits.limit(limit(commentLimit))));
    }

    /** A task with what an agent needs to work on it. Shared with the {@code olympus://tasks/{id}} resource. */
    Uni<TaskDetails> details(long taskId, String commentsCursor, int commentLimit) {
        return tasks.get(taskId).chain(task -> Uni.combine().all()
                .unis(dependencies(task), comments.list(taskId, commentsCursor, commentLimit))
                .with((dependencies, page) -> new TaskDetails(task, dependencies, page.items(), page.nextCursor())));
    }

    private Uni<List<Dependency>> dependencies(Task task) {
        if (task.dependsOn() == null || task.dependsOn().isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(task.dependsOn().stream().map(id -> tasks.get(id).map(Dependency::of)).toList())
                .andFailFast();
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "create_task", description = """
            Create a task (orchestrators and operators only; workers and observers get `forbidden`). Answers the \
            task. The same creator posting the same title as one of its open tasks within minutes gets \
            `duplicate-task` with `existingTaskId`; over the creation budget: `rate-limited` with `retryAfter` seconds.""",
            annotations = @Tool.Annotations(title = "Create a task", destructiveHint = false, openWorldHint = false))
    public Uni<ToolResponse> createTask(
            @ToolArg(description = "1..200 characters") String title,
            @ToolArg(description = "What to do and how to know it is done (up to 64 KiB)", required = false)
            String description,
            @ToolArg(description = "Agent name to assign the task to; unassigned tasks are claimed by matching workers",
                    required = false) String assignee,
            @ToolArg(description = "critical, high, medium (default) or low", required = false) String priority,
            @ToolArg(description = "Labels (letters, digits, ._:/-), matched against workers' capabilities",
                    required = false) List<String> labels,
            @ToolArg(description = "Ids of tasks that must be done before this one can start", required = false)
            List<Long> dependsOn,
            @ToolArg(description = "How many attempts retries may make, 1..100 (default 3)", required = false)
            Integer maxAttempts) {
        return results.write(caller -> {
            CreateTaskRequest request = new CreateTaskRequest(text("title", title), text("description", description),
                    assignee, priority(priority), labels, dependsOn, maxAttempts);
            var violations = validator.validate(request);
            if (!violations.isEmpty()) {
                throw McpProblems.validation(violations);
            }
            return tasks.create(caller, request);
        });
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "update_task", description = """
            Change a task: its status and result (the assignee; orchestrators and operators too), and for \
            orchestrators and operators also title, description, assignee, priority and labels. Answers the task. \
            Status moves: todo -> in_progress|blocked; in_progress -> in_review|done|failed|blocked|todo (release); \
            in_review -> done|in_progress|failed (and -> todo by a reviewer); blocked -> todo|in_progress. A task with             `acceptanceCriteria` enters in_review or done only with `evidence` for every criterion (else             `evidence-required` with the `missing` indexes). A task with `reviewRequired` is not yours to finish:             move it to in_review with your result; another agent accepts it (status done) or sends it back             (in_progress or todo, with a `comment`, else `rejection-reason-required`); accepting or rejecting your             own task is `self-review`. Moving to `blocked` needs a reason: \
            pass `comment` (stored atomically with the move) unless you commented on the task in the last minutes, \
            else `block-reason-required`. Finish with status "done" and your deliverable in `result`. Other errors: \
            `forbidden` (not your task), `invalid-transition`, `dependencies-unmet`, `wip-limit`, `version-conflict`,             `lease-lost` (stop working on it). `usage` reports what you spent on this task since your last report             (recorded first, even if the change is refused; `forbidden` when you do not hold the task).""",
            annotations = @Tool.Annotations(title = "Update a task", destructiveHint = false, openWorldHint = false))
    public Uni<ToolResponse> updateTask(
            @ToolArg(description = "The task's id") long taskId,
            @ToolArg(description = "New status: todo, in_progress, in_review, blocked, done, failed or canceled",
                    required = false) String status,
            @ToolArg(description = "The deliverable: free text up to 64 KiB (a summary, a link, a commit)",
                    required = false) String result,
            @ToolArg(description = "A comment stored with the change; required reason when moving to blocked",
                    required = false) String comment,
            @ToolArg(description = "Apply only if the task is still at this version (else `version-conflict`)",
                    required = false) Long expectedVersion,
            @ToolArg(description = "The leaseEpoch your claim answered: refused with `lease-lost` once the task has "
                    + "a newer holder (requeued after your lease expired, reassigned)", required = false) Long leaseEpoch,
            @ToolArg(description = "With status blocked: ids of the tasks you wait for; they join dependsOn and the "
                    + "task returns to todo by itself when they are all done", required = false) List<Long> blockedOn,
            @ToolArg(description = "Orchestrators and operators: new title", required = false) String title,
            @ToolArg(description = "Orchestrators and operators: new description", required = false) String description,
            @ToolArg(description = "Orchestrators and operators: new assignee (agent name)", required = false)
            String assignee,
            @ToolArg(description = "Orchestrators and operators: critical, high, medium or low", required = false)
            String priority,
            @ToolArg(description = "Orchestrators and operators: the new labels (replace the old ones)",
                    required = false) List<String> labels,
            @ToolArg(description = "With status in_review or done on a task with acceptanceCriteria: evidence for each "
                    + "criterion, [{criterion: <0-based index>, text}]", required = false) List<Task.Evidence> evidence,
            @ToolArg(description = UsageArg.DESCRIPTION, required = false) Map<String, Object> usage) {
        return results.write(caller -> {
            ObjectNode body = mapper.createObjectNode();
            if (evidence != null) {
                body.set("evidence", mapper.valueToTree(evidence));
            }
            putIfPresent(body, "status", status);
            putIfPresent(body, "result", result);
            putIfPresent(body, "comment", comment);
            putIfPresent(body, "title", title);
            putIfPresent(body, "description", description);
            putIfPresent(body, "assignee", assignee);
            putIfPresent(body, "priority", priority);
            if (labels != null) {
                body.set("labels", mapper.valueToTree(labels));
            }
            if (blockedOn != null) {
                body.set("blockedOn", mapper.valueToTree(blockedOn));
            }
            if (usage != null) {
                body.set("usage", mapper.valueToTree(usage));
            }
            return tasks.patch(caller, taskId, TaskPatch.parse(body), expectedVersion, leaseEpoch);
        });
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "claim_task", description = """
            Claim the next task to work on (workers; orchestrators and operators too): atomically takes the most             urgent, oldest ready `todo` task assigned to you, or unassigned and matching your capabilities, moves it             to in_progress with you as assignee and a lease. Answers {"task": {...}} with `leaseExpiresAt` and             `leaseEpoch`, or {"task": null} when nothing is ready for you (or you hold your wipLimit). Keep the lease             with heartbeat {"taskId": ...}. Two agents never get the same task. With waitSeconds (1..60) and nothing ready, waits for a task (answered as soon as one becomes claimable) instead of answering null at once. With review=true (orchestrators, operators, workers with capability `review`) it claims a review instead: the oldest in_review task you did not do, held for you (`reviewHolder`) without changing its assignee; then accept it with update_task status done, or send it back with status in_progress or todo and a `comment` (waitSeconds is ignored).""",
            annotations = @Tool.Annotations(title = "Claim the next task", destructiveHint = false, openWorldHint = false))
    public Uni<ToolResponse> claimTask(
            @ToolArg(description = "Only tasks carrying at least one of these labels", required = false)
            List<String> labels,
            @ToolArg(description = "Seconds to wait for a task when none is ready now, 1..60 (default: answer at once)", required = false)
            Integer waitSeconds,
            @ToolArg(description = "true: claim a review instead of work", required = false) Boolean review) {
        return results.write(caller -> {
            Duration wait = WaitParam.of("waitSeconds", waitSeconds);
            var violations = validator.validate(new OrchestrationRequests.Claim(labels));
            if (!violations.isEmpty()) {
                throw McpProblems.validation(violations);
            }
            return (Boolean.TRUE.equals(review) ? claims.claimReview(caller) : claims.claim(caller, labels, wait)).map(Claimed::new);
        });
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "comment_on_task", description = """
            Comment on a task (any role but observer): progress notes, questions, the reason for a block. \
            Answers the comment. A comment explains a later move to blocked for a few minutes.""",
            annotations = @Tool.Annotations(title = "Comment on a task", destructiveHint = false, openWorldHint = false))
    public Uni<ToolResponse> commentOnTask(
            @ToolArg(description = "The task's id") long taskId,
            @ToolArg(description = "The comment, 1..16384 characters") String body) {
        return results.write(caller -> {
            var violations = validator.validate(new CreateCommentRequest(text("body", body)));
            if (!violations.isEmpty()) {
                throw McpProblems.validation(violations);
            }
            return comments.add(caller, taskId, body);
        });
    }

    private static void putIfPresent(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    private static String bool(Boolean value) {
        return value == null ? null : value.toString();
    }

    private static String limit(Integer value) {
        return value == null ? null : value.toString();
    }

    private static Priority priority(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Priority.fromWire(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation("priority", "must be one of critical, high, medium, low");
        }
    }

    /** The same refusal REST gives for text PostgreSQL cannot store faithfully. */
    static String text(String field, String value) {
        if (value != null && !StrictStrings.storable(value)) {
            throw ProblemException.validation(field, "must not contain NUL or unpaired surrogates");
        }
        return value;
    }

    /** A task, its dependencies and its comments: what {@code get_task} answers. */
    @RegisterForReflection
    public record TaskDetails(Task task, List<Dependency> dependencies, List<Comment> comments,
                              String commentsNextCursor) {}

    /** What {@code claim_task} answers: the claimed task, or null when there is nothing to take. */
    @RegisterForReflection
    public record Claimed(Task task) {}

    /** One dependency of a task, enough to see whether it holds the task up. */
    @RegisterForReflection
    public record Dependency(long id, String title, TaskStatus status, String assignee, Instant completedAt) {
        static Dependency of(Task task) {
            return new Dependency(task.id(), task.title(), task.status(), task.assignee(), task.completedAt());
        }
    }
}
