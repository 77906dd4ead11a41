package dev.olympus.mcp;

import dev.olympus.task.TaskLabels;
import dev.olympus.web.Limits;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolGuardrails;
import io.quarkiverse.mcp.server.ToolResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The labels in use, as {@code GET /api/v1/labels} lists them: so a planner reuses labels instead of inventing new ones. */
@ApplicationScoped
public class LabelTools {

    private final TaskLabels labels;
    private final ToolResults results;

    public LabelTools(TaskLabels labels, ToolResults results) {
        this.labels = labels;
        this.results = results;
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "list_labels", description = """
            Every label that at least one task carries (any role), ordered by name, with `tasks` (how many tasks \
            carry it) and `openTasks` (how many of those are not finished). Answers {"items": [...], "nextCursor"}. \
            Reuse these labels when creating tasks: workers' capabilities match task labels.""",
            annotations = @Tool.Annotations(title = "List labels", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    public Uni<ToolResponse> listLabels(
            @ToolArg(description = "Page size, 1..200 (default 50)", required = false) Integer limit,
            @ToolArg(description = "nextCursor of the previous page", required = false) String cursor) {
        return results.run(caller -> labels.list(cursor, Limits.limit(limit == null ? null : limit.toString())));
    }
}
