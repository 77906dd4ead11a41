package dev.olympus.mcp;

import dev.olympus.agent.AgentPauses;
import dev.olympus.agent.PauseRequest;
import dev.olympus.task.TaskCancels;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolGuardrails;
import io.quarkiverse.mcp.server.ToolResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

/** Stopping work: cancel a task, pause and resume an agent. The REST services, with their rules. */
@ApplicationScoped
public class StopTools {

    private final TaskCancels cancels;
    private final AgentPauses pauses;
    private final ToolResults results;
    private final Validator validator;

    public StopTools(TaskCancels cancels, AgentPauses pauses, ToolResults results, Validator validator) {
        this.cancels = cancels;
        this.pauses = pauses;
        this.results = results;
        this.validator = validator;
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "cancel_task", description = """
            Cancel a task that is todo, blocked, in_progress or in_review (orchestrators and operators). The reason \
            (1..2000 characters) is added as your comment. A held task's lease ends at once: its holder's later \
            writes get `task-canceled` and its next heartbeat lists the task in canceledTaskIds. With cascade=true \
            every todo or blocked task that depends on it, directly or transitively, is canceled too. Answers the \
            task with `cascaded` (the ids canceled with it). Errors: `cancel-reason-required`, `invalid-transition` \
            (already done, failed or canceled), `forbidden`.""",
            annotations = @Tool.Annotations(title = "Cancel a task", destructiveHint = true, idempotentHint = false,
                    openWorldHint = false))
    public Uni<ToolResponse> cancelTask(
            @ToolArg(description = "The task's id") long taskId,
            @ToolArg(description = "Why, 1..2000 characters") String reason,
            @ToolArg(description = "Also cancel the not-started tasks that depend on it (default false)", required = false)
            Boolean cascade) {
        return results.write(caller -> cancels.cancel(caller, taskId, TaskTools.text("reason", reason),
                Boolean.TRUE.equals(cascade), null));
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "pause_agent", description = """
            Pause an agent (orchestrators and operators): it keeps working on what it holds but gets no new work \
            (claims answer nothing, starting a todo task is refused with `agent-paused`) until resume_agent. \
            Answers the agent (state paused).""",
            annotations = @Tool.Annotations(title = "Pause an agent", destructiveHint = false, idempotentHint = true,
                    openWorldHint = false))
    public Uni<ToolResponse> pauseAgent(
            @ToolArg(description = "The agent's name") String name,
            @ToolArg(description = "Why, 1..4096 characters") String reason) {
        return results.write(caller -> {
            var violations = validator.validate(new PauseRequest(TaskTools.text("reason", reason)));
            if (!violations.isEmpty()) {
                throw McpProblems.validation(violations);
            }
            return pauses.pause(caller, name, reason);
        });
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "resume_agent", description = """
            Resume a paused agent (orchestrators and operators): it may claim work again. Answers the agent.""",
            annotations = @Tool.Annotations(title = "Resume an agent", destructiveHint = false, idempotentHint = true,
                    openWorldHint = false))
    public Uni<ToolResponse> resumeAgent(@ToolArg(description = "The agent's name") String name) {
        return results.write(caller -> pauses.resume(caller, name));
    }
}
