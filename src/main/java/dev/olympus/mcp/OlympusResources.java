package dev.olympus.mcp;

import dev.olympus.agent.AgentService;
import dev.olympus.auth.Caller;
import dev.olympus.task.TaskFilter;
import dev.olympus.task.TaskService;
import dev.olympus.web.Limits;
import dev.olympus.web.ProblemException;
import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkiverse.mcp.server.McpException;
import io.quarkiverse.mcp.server.RequestUri;
import io.quarkiverse.mcp.server.Resource;
import io.quarkiverse.mcp.server.ResourceTemplate;
import io.quarkiverse.mcp.server.TextResourceContents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Function;

/**
 * Read-only views that help an agent orient itself without choosing filters: who it is, its open tasks, one task
 * with its comments. Failures are JSON-RPC errors whose message is the problem as JSON (resources have no
 * {@code isError} result).
 */
@ApplicationScoped
public class OlympusResources {

    static final String MY_OPEN_STATUSES = "todo,in_progress,in_review,blocked";

    private final AgentService agents;
    private final TaskService tasks;
    private final TaskTools taskTools;
    private final ToolResults results;

    public OlympusResources(AgentService agents, TaskService tasks, TaskTools taskTools, ToolResults results) {
        this.agents = agents;
        this.tasks = tasks;
        this.taskTools = taskTools;
        this.results = results;
    }

    @Resource(uri = "olympus://agents/me", name = "me", title = "Me",
            description = "The agent you are connected as: role, capabilities, wipLimit, heartbeat due time.",
            mimeType = "application/json")
    public Uni<TextResourceContents> me(RequestUri uri) {
        return read(uri, caller -> agents.get(caller.name()));
    }

    @Resource(uri = "olympus://tasks/mine", name = "my-open-tasks", title = "My open tasks",
            description = "Tasks assigned to you that are not finished (todo, in_progress, in_review, blocked), "
                    + "most urgent first (up to 200).",
            mimeType = "application/json")
    public Uni<TextResourceContents> myOpenTasks(RequestUri uri) {
        return read(uri, caller -> tasks.list(TaskFilter.parse(new TaskFilter.Params("me", MY_OPEN_STATUSES,
                null, null, null, null, null, null, null, null), caller, Limits.MAX_LIMIT)));
    }

    @ResourceTemplate(uriTemplate = "olympus://tasks/{id}", name = "task", title = "Task",
            description = "One task with its dependencies and its first 200 comments (as get_task answers).",
            mimeType = "application/json")
    public Uni<TextResourceContents> task(String id, RequestUri uri) {
        return read(uri, caller -> taskTools.details(taskId(id), null, Limits.MAX_LIMIT));
    }

    private Uni<TextResourceContents> read(RequestUri uri, Function<Caller, Uni<?>> action) {
        return Uni.createFrom().deferred(() -> action.apply(results.admitted()))
                .map(value -> new TextResourceContents(uri.value(), results.json(value), "application/json"))
                .onFailure().transform(this::toMcpException);
    }

    private McpException toMcpException(Throwable failure) {
        ProblemException problem = McpProblems.toProblem(failure);
        int code = switch (problem.status()) {
            case 404 -> JsonRpcErrorCodes.RESOURCE_NOT_FOUND;
            case 400 -> JsonRpcErrorCodes.INVALID_PARAMS;
            case 401, 403 -> JsonRpcErrorCodes.SECURITY_ERROR;
            default -> JsonRpcErrorCodes.INTERNAL_ERROR;
        };
        return new McpException(results.json(McpProblems.body(problem)), code);
    }

    private static long taskId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.validation("id", "must be a task id (an integer)");
        }
    }
}
