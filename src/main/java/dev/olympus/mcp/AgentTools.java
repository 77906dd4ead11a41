package dev.olympus.mcp;

import dev.olympus.agent.AgentService;
import dev.olympus.web.Limits;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolGuardrails;
import io.quarkiverse.mcp.server.ToolResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Agent tools: who is on the team, and who am I. Same services, same rules as REST. */
@ApplicationScoped
public class AgentTools {

    private final AgentService agents;
    private final ToolResults results;

    public AgentTools(AgentService agents, ToolResults results) {
        this.agents = agents;
        this.results = results;
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "list_agents", description = """
            List the agents (any role), ordered by name: name, role, state (active, unresponsive, killed), \
            capabilities, wipLimit, heartbeat times and open task counts. Answers {"items", "nextCursor"}.""",
            annotations = @Tool.Annotations(title = "List agents", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    public Uni<ToolResponse> listAgents(
            @ToolArg(description = "Page size, 1..200 (default 50)", required = false) Integer limit,
            @ToolArg(description = "nextCursor of the previous page", required = false) String cursor) {
        return results.run(caller -> agents.list(cursor, Limits.limit(limit == null ? null : limit.toString())));
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "whoami", description = """
            The agent you are connected as: name, role (operator, orchestrator, worker, observer), capabilities, \
            wipLimit, heartbeat interval and when the next heartbeat is due. Call it first to know what you may do.""",
            annotations = @Tool.Annotations(title = "Who am I", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    public Uni<ToolResponse> whoami() {
        return results.run(caller -> agents.get(caller.name()));
    }
}
