package dev.olympus.mcp;

import dev.olympus.task.PlanRequest;
import dev.olympus.task.PlanResource;
import dev.olympus.task.Plans;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolGuardrails;
import io.quarkiverse.mcp.server.ToolResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import java.util.List;

/** MCP tool for plans: the orchestrator submits a whole plan at once (same rules as {@code POST /api/v1/plans}). */
@ApplicationScoped
public class PlanTools {

    private final Plans plans;
    private final ToolResults results;
    private final Validator validator;

    public PlanTools(Plans plans, ToolResults results, Validator validator) {
        this.plans = plans;
        this.results = results;
        this.validator = validator;
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "create_plan", description = """
            Create a whole plan at once (orchestrators and operators): 1..200 tasks in one transaction, all or \
            nothing. Each task: {ref?, title, description?, assignee?, priority?, labels?, dependsOn?: [ref of a \
            task of this plan, or id of an existing task], maxAttempts?, reviewRequired?, acceptanceCriteria?: \
            [up to 20 texts the work is checked against], parentId?}. parentId (of the plan) becomes the parent of \
            every task without its own, so the plan shows as that task's children. Bad input names the task, e.g. \
            tasks[3].dependsOn[0]; a cycle: dependency-cycle; a title already open: duplicate-task; the creation \
            budget must take the whole plan, else rate-limited and nothing is created. Answers {"tasks": [...]}.""",
            annotations = @Tool.Annotations(title = "Create a plan", destructiveHint = false, openWorldHint = false))
    public Uni<ToolResponse> createPlan(
            @ToolArg(description = "The plan's tasks, in order") List<PlanRequest.Item> tasks,
            @ToolArg(description = "Id of the existing task the plan breaks down", required = false) Long parentId) {
        return results.write(caller -> {
            PlanRequest request = new PlanRequest(parentId, tasks);
            var violations = validator.validate(request);
            if (!violations.isEmpty()) {
                throw McpProblems.validation(violations);
            }
            return plans.create(caller, request).map(PlanResource.Created::new);
        });
    }
}
