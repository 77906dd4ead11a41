package dev.olympus.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.auth.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/v1/agents/{name}/budget")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Usage and budgets")
public class AgentBudgetResource {

    static final String PUT_DESCRIPTION = """
            `{costUsd (> 0, at most 6 decimals), period: "day" | "month"}` (UTC periods). Replaces any budget of the \
            same scope; the current period's spend counts at once. At 80% of the budget: event `budget.warning` (once \
            per period). At 100%: the covered agents (this agent; for the system budget every non-operator agent) \
            become `paused` with reason `budget-exhausted`, their in_progress tasks go back to `todo` (still assigned \
            to them, lease ended: later writes bound to the old lease get 409 `lease-lost`), event `budget.exhausted`. \
            Raising the budget above the spend (or removing it) resumes them at once; a new period resumes them at \
            the scheduler's next run.""";

    private final BudgetService budgets;
    private final CurrentCaller caller;

    public AgentBudgetResource(BudgetService budgets, CurrentCaller caller) {
        this.budgets = budgets;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "An agent's budget and its current period's spend (any role)")
    public Uni<Budget> get(@PathParam("name") String name) {
        return budgets.get(name);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set an agent's budget (operator)", description = PUT_DESCRIPTION)
    @RequestBody(content = @Content(schema = @Schema(implementation = BudgetRequest.class)))
    public Uni<Budget> put(@PathParam("name") String name, @NotNull JsonNode body) {
        BudgetService.requireOperator(caller.get());
        return budgets.put(caller.get(), name, BudgetRequest.parse(body));
    }

    @DELETE
    @Operation(summary = "Remove an agent's budget (operator)", description = "204; agents it stopped are resumed.")
    public Uni<RestResponse<Void>> delete(@PathParam("name") String name) {
        return budgets.delete(caller.get(), name).map(done -> RestResponse.noContent());
    }
}
