package dev.olympus.agent;

import dev.olympus.auth.CurrentCaller;
import dev.olympus.web.Limits;
import dev.olympus.web.Page;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/v1/agents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Agents")
public class AgentResource {

    private final AgentService service;
    private final CurrentCaller caller;

    public AgentResource(AgentService service, CurrentCaller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Create an agent (operator)", description = "Answers the agent and its API key, shown only this once.")
    public Uni<RestResponse<CreatedAgent>> create(@NotNull @Valid CreateAgentRequest request, UriInfo uri) {
        return service.create(caller.get(), request).map(created -> RestResponse.ResponseBuilder
                .<CreatedAgent>created(uri.getAbsolutePathBuilder().path(created.agent().name()).build())
                .entity(created)
                .build());
    }

    @GET
    @Operation(summary = "List agents", description = "Ordered by name; cursor pagination.")
    public Uni<Page<Agent>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return service.list(cursor, Limits.limit(limit));
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Get an agent")
    public Uni<Agent> get(@PathParam("name") String name) {
        return service.get(name);
    }
}
