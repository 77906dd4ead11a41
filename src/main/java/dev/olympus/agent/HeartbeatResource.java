package dev.olympus.agent;

import dev.olympus.auth.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/agents/me/heartbeat")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Agents")
public class HeartbeatResource {

    private final HeartbeatService service;
    private final CurrentCaller caller;

    public HeartbeatResource(HeartbeatService service, CurrentCaller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Heartbeat (any role; works during a freeze)", description = """
            Tells the server the caller is alive: answers `serverTime` and `nextHeartbeatDueAt` (now + the agent's \
            `heartbeatIntervalSeconds`). An agent silent past `nextHeartbeatDueAt` + `olympus.heartbeat.grace` is \
            marked `unresponsive` by the scheduler (`agent.heartbeat_missed`); its next heartbeat makes it `active` \
            again (`agent.recovered`). With `taskId` the heartbeat also renews the lease of that in_progress task of \
            the caller (`leaseExpiresAt` in the answer); if the caller no longer holds it (or `leaseEpoch` is stale) \
            the heartbeat still counts, but the answer is 409 `lease-lost`. The body is optional.""")
    public Uni<Heartbeat> beat(@Valid HeartbeatRequest request) {
        return service.beat(caller.get(), request);
    }
}
