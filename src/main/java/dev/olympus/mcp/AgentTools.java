package dev.olympus.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.olympus.agent.AgentService;
import dev.olympus.agent.HeartbeatRequest;
import dev.olympus.agent.HeartbeatService;
import dev.olympus.web.Limits;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolGuardrails;
import io.quarkiverse.mcp.server.ToolResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import java.util.Map;

/** Agent tools: who is on the team, who am I, I am alive. Same services, same rules as REST. */
@ApplicationScoped
public class AgentTools {

    private final AgentService agents;
    private final HeartbeatService heartbeats;
    private final ToolResults results;
    private final Validator validator;
    private final ObjectMapper mapper;

    public AgentTools(AgentService agents, HeartbeatService heartbeats, ToolResults results, Validator validator,
                      ObjectMapper mapper) {
        this.mapper = mapper;
        this.agents = agents;
        this.heartbeats = heartbeats;
        this.results = results;
        this.validator = validator;
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "list_agents", description = """
            List the agents (any role), ordered by name: name, role, state (active, unresponsive, paused, killed), \
            capabilities, wipLimit, heartbeat times and open task counts. Answers {"items", "nextCursor"}.""",
            annotations = @Tool.Annotations(title = "List agents", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    public Uni<ToolResponse> listAgents(
            @ToolArg(description = "Page size, 1..200 (default 50)", required = false) Integer limit,
            @ToolArg(description = "nextCursor of the previous page", required = false) String cursor) {
        return results.run(caller -> agents.list(cursor, Limits.limit(limit == null ? null : limit.toString())));
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "heartbeat", description = """
            Tell Olympus you are alive (any role; works while the system is frozen). Call it at least every \
            heartbeatIntervalSeconds (see whoami), or you are marked unresponsive. With `taskId` it also renews the \
            lease of that in_progress task of yours, or of the review you hold on that in_review task (claimed with \
            claim_task review=true); if you no longer hold it, the heartbeat still counts but the \
            answer is `lease-lost` (or `task-canceled`): stop working on that task. `usage`: what you spent since \
            your last report (attributed to `taskId` when given, which you must hold); at 100% of a budget you are \
            paused (state paused, reason budget-exhausted) and your in_progress tasks are released. Answers \
            {"serverTime", "nextHeartbeatDueAt", "taskId", "leaseExpiresAt", "canceledTaskIds"}: canceledTaskIds \
            are tasks you held that were canceled since your previous heartbeat: stop working on them.""",
            annotations = @Tool.Annotations(title = "Heartbeat", destructiveHint = false, idempotentHint = true,
                    openWorldHint = false))
    public Uni<ToolResponse> heartbeat(
            @ToolArg(description = "idle or working", required = false) String status,
            @ToolArg(description = "The in_progress task you are working on: renews its lease", required = false)
            Long taskId,
            @ToolArg(description = "The leaseEpoch your claim answered (fences a stale holder)", required = false)
            Long leaseEpoch,
            @ToolArg(description = "A short note on what you are doing (up to 1024 characters)", required = false)
            String note,
            @ToolArg(description = UsageArg.DESCRIPTION, required = false) Map<String, Object> usage) {
        return results.run(caller -> {
            HeartbeatRequest request = new HeartbeatRequest(status, taskId, leaseEpoch, TaskTools.text("note", note),
                    usage == null ? null : mapper.valueToTree(usage));
            var violations = validator.validate(request);
            if (!violations.isEmpty()) {
                throw McpProblems.validation(violations);
            }
            return heartbeats.beat(caller, request);
        });
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "whoami", description = """
            The agent you are connected as: name, role (operator, orchestrator, worker, observer), capabilities, \
            wipLimit, heartbeat interval and when the next heartbeat is due; your cumulative `usage`, `periodUsage` (the             current budget period) and your `budget` (null when none; the system budget may apply too). Call it first             to know what you may do.""",
            annotations = @Tool.Annotations(title = "Who am I", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    public Uni<ToolResponse> whoami() {
        return results.run(caller -> agents.get(caller.name()));
    }
}
