package dev.olympus.agent;

import dev.olympus.auth.CurrentCaller;
import io.smallrye.mutiny.Uni;
import dev.olympus.web.OptionalJsonBody;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/agents/me/heartbeat")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Agents")
public class HeartbeatResource {

    private static final HeartbeatRequest EMPTY = new HeartbeatRequest(null, null, null, null, null);

    private final HeartbeatService service;
    private final CurrentCaller caller;
    private final OptionalJsonBody body;

    public HeartbeatResource(HeartbeatService service, CurrentCaller caller, OptionalJsonBody body) {
        this.service = service;
        this.caller = caller;
        this.body = body;
    }

    @POST
    @Operation(summary = "Heartbeat (any role; works during a freeze)", description = """
            Tells the server the caller is alive: answers `serverTime` and `nextHeartbeatDueAt` (now + the agent's \
            `heartbeatIntervalSeconds`). An agent silent past `nextHeartbeatDueAt` + `olympus.heartbeat.grace` is \
            marked `unresponsive` by the scheduler (`agent.heartbeat_missed`); its next heartbeat makes it `active` \
            again (`agent.recovered`). With `taskId` the heartbeat also renews the lease of that in_progress task of \
            the caller, or the review lease of that in_review task whose review the caller holds (`reviewHolder`, \
            from `POST /tasks/claim {"review": true}`); `leaseExpiresAt` in the answer is the renewed lease. If the \
            caller holds neither any more (or `leaseEpoch`, which fences work leases only, is stale) \
            the heartbeat still counts, but the answer is 409 `lease-lost` (409 `task-canceled` when the task was \
            canceled). `canceledTaskIds`: the tasks the caller held that were canceled since its previous successful \
            heartbeat (stop working on them); each is listed once. `usage` (increments of tokens and cost) is \
            recorded first, in a transaction of its own, and counted against the budgets (see "Usage and budgets"); \
            usage naming a task you do not hold is refused with 403 and nothing is recorded. The body is optional.""")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = HeartbeatRequest.class)))
    public Uni<Heartbeat> beat(String request, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return service.beat(caller.get(), body.read(request, contentType, HeartbeatRequest.class, EMPTY));
    }
}
