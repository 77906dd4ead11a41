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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/v1/system/budget")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Usage and budgets")
public class SystemBudgetResource {

    private final BudgetService budgets;
    private final CurrentCaller caller;

    public SystemBudgetResource(BudgetService budgets, CurrentCaller caller) {
        this.budgets = budgets;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The system budget and its current period's spend by all agents (any role)")
    public Uni<Budget> get() {
        return budgets.get(null);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the system budget (operator)", description = AgentBudgetResource.PUT_DESCRIPTION)
    @RequestBody(content = @Content(schema = @Schema(implementation = BudgetRequest.class)))
    public Uni<Budget> put(@NotNull JsonNode body) {
        BudgetService.requireOperator(caller.get());
        return budgets.put(caller.get(), null, BudgetRequest.parse(body));
    }

    @DELETE
    @Operation(summary = "Remove the system budget (operator)", description = "204; agents it stopped are resumed.")
    public Uni<RestResponse<Void>> delete() {
        return budgets.delete(caller.get(), null).map(done -> RestResponse.noContent());
    }
}
