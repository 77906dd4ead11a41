package dev.olympus.agent;

import dev.olympus.auth.CurrentCaller;
import dev.olympus.web.Limits;
import dev.olympus.web.OptionalJsonBody;
import dev.olympus.web.Page;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/v1/agents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Agents")
public class AgentResource {

    private final AgentService service;
    private final KillSwitch killSwitch;
    private final AgentPauses pauses;
    private final CurrentCaller caller;
    private final OptionalJsonBody body;

    public AgentResource(AgentService service, KillSwitch killSwitch, AgentPauses pauses, CurrentCaller caller,
                         OptionalJsonBody body) {
        this.service = service;
        this.killSwitch = killSwitch;
        this.pauses = pauses;
        this.caller = caller;
        this.body = body;
    }

    @POST
    @Operation(summary = "Create an agent (operator)", description = """
            Answers the agent and its API key, shown only this once. Names match `^[a-z][a-z0-9-]{1,31}$`; \
            `me` is reserved (it names the caller in paths). A taken name: 409 `agent-exists`.""")
    public Uni<RestResponse<CreatedAgent>> create(@NotNull @Valid CreateAgentRequest request, UriInfo uri) {
        return service.create(caller.get(), request).map(created -> RestResponse.ResponseBuilder
                .<CreatedAgent>created(uri.getAbsolutePathBuilder().path(created.agent().name()).build())
                .entity(created)
                .build());
    }

    @GET
    @Operation(summary = "List agents (any role)", description = "Ordered by name; cursor pagination.")
    public Uni<Page<Agent>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return service.list(cursor, Limits.limit(limit));
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Get an agent (any role)", description = "`me` names the caller.")
    public Uni<Agent> get(@PathParam("name") String name) {
        return service.get(caller.get(), name);
    }

    @POST
    @Path("{name}/keys")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Add an API key (operator)", description = """
            No body. Answers `{ keyId, apiKey }`; the key is shown only this once and stored only as a hash. \
            An agent may hold several keys (e.g. for rotation).""")
    public Uni<RestResponse<CreatedKey>> addKey(@PathParam("name") String name, UriInfo uri) {
        return service.addKey(caller.get(), name).map(created -> RestResponse.ResponseBuilder
                .<CreatedKey>created(uri.getAbsolutePathBuilder().path(created.keyId()).build())
                .entity(created)
                .build());
    }

    @GET
    @Path("{name}/keys")
    @Operation(summary = "List an agent's API keys (operator)", description = """
            Key ids with `createdAt` and `revokedAt`, oldest first; never the keys themselves.""")
    public Uni<Page<ApiKeyInfo>> keys(@PathParam("name") String name, @QueryParam("limit") String limit,
                                      @QueryParam("cursor") String cursor) {
        return service.keys(caller.get(), name, cursor, Limits.limit(limit));
    }

    @DELETE
    @Path("{name}/keys/{keyId}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Revoke an API key (operator)", description = """
            204. From then on the key, and every access token exchanged from it, get 401 on every instance (within \
            1 s). Revoking a revoked key is a no-op 204. 409 `last-operator` when no live operator would keep a \
            valid key.""")
    public Uni<RestResponse<Void>> revokeKey(@PathParam("name") String name, @PathParam("keyId") String keyId) {
        return service.revokeKey(caller.get(), name, keyId).map(v -> RestResponse.noContent());
    }

    @POST
    @Path("{name}/kill")
    @Operation(summary = "Kill an agent (operator)", description = """
            From the answer on, every request with the agent's keys or already-issued access tokens gets 403 \
            `agent-killed` on every instance (within 1 s); its WebSocket sessions are closed; its `in_progress` \
            tasks go back to `todo`, unassigned, with a system comment. Answers the agent (`state: killed`). \
            Killing a killed agent changes nothing. An operator cannot kill itself (403); killing the last live \
            operator with a valid key: 409 `last-operator`.""")
    public Uni<Agent> kill(@PathParam("name") String name, @NotNull @Valid KillRequest request) {
        return killSwitch.kill(caller.get(), name, request.reason());
    }

    @POST
    @Path("{name}/revive")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Revive a killed agent (operator)", description = """
            Optional body `{ "reason": "..." }` (1..4096 characters), kept as the agent's `reviveReason` (with \
            `revivedAt`, `revivedBy`) and in the `agent.revived` event. Lifts the block for the agent's API keys and \
            for access tokens issued from now on; tokens issued before the kill stay invalid (401). Reviving a live \
            agent changes nothing. Answers the agent.""")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ReviveRequest.class)))
    public Uni<Agent> revive(@PathParam("name") String name, String request,
                             @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        ReviveRequest revive = body.read(request, contentType, ReviveRequest.class, new ReviveRequest(null));
        return killSwitch.revive(caller.get(), name, revive.trimmed());
    }

    @POST
    @Path("{name}/pause")
    @Operation(summary = "Pause an agent (operator, orchestrator)", description = """
            Body `{ "reason": "..." }` (1..4096 characters). The agent (`state: paused`, `stateReason`) keeps \
            working on what it holds (heartbeats, PATCHes, comments) but gets no new work: its claims answer 204 \
            and its `todo -> in_progress` moves get 409 `agent-paused`; tasks may still be assigned to it. In force on \
            every instance from the answer on. Emits `agent.paused` (`data.reason`). Pausing a paused or killed agent \
            changes nothing (a kill overrides a pause). Answers the agent. Workers and observers: 403.""")
    public Uni<Agent> pause(@PathParam("name") String name, @NotNull @Valid PauseRequest request) {
        return pauses.pause(caller.get(), name, request.reason());
    }

    @POST
    @Path("{name}/resume")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Resume a paused agent (operator, orchestrator)", description = """
            No body. The agent becomes `active` again and may claim work; emits `agent.resumed`. Resuming an agent \
            that is not paused changes nothing. Answers the agent. Workers and observers: 403.""")
    public Uni<Agent> resume(@PathParam("name") String name) {
        return pauses.resume(caller.get(), name);
    }
}
