package dev.olympus.event;

import dev.olympus.auth.CurrentCaller;
import dev.olympus.wait.WaitParam;
import dev.olympus.web.Limits;
import dev.olympus.web.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;

/** The event stream for polling clients; the WebSocket is {@link EventSocket}. HTTP only. */
@Path("/api/v1/events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Events", description = """
        Every change is an event `{ id, type, at, actor, taskId, agent, data }`; `id` is the cursor. Poll \
        `GET /api/v1/events`, or subscribe with a WebSocket: `GET /api/v1/events/ws?after=&type=&assignee=` \
        (upgrade; `Authorization: Bearer ...` or `?access_token=`) replays the events after `after`, then streams \
        live ones, one JSON event per text message, in id order, without gaps or duplicates. Close codes: \
        4000 too slow (resume from your last id), 4403 agent killed, 4410 cursor expired, 4429 too many \
        connections, 1011 server error (resume). Workers see events of their own tasks and of themselves; \
        other roles see all.""")
public class EventResource {

    private final EventWaiter events;
    private final CurrentCaller caller;

    public EventResource(EventWaiter events, CurrentCaller caller) {
        this.events = events;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Poll the event stream", description = """
            Events after the cursor `after`, oldest first, that the caller may see (workers: events of tasks \
            assigned to them at the time, including the assignment that took a task away, and of themselves; \
            other roles: all). Without `after`, from the oldest retained event. `head` is the newest event id \
            visible now: `after=<head>` means "from now on". Loop: process `items`, then continue with \
            `after=<nextCursor>` while it is not null, else with `after=<head>`. A cursor older than the \
            retention window gets 410 `cursor-expired` with `oldestCursor`. For push, use the WebSocket \
            `/api/v1/events/ws` (see the Events tag). With `wait=<1..60>` (seconds) and no event after the cursor, \
            the request is held until one is committed on any instance (answered at once, within 1 s) or the wait \
            ends (200 with empty `items`).""")
    @APIResponse(responseCode = "200", description = "A page of events",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EventPage.class)))
    @APIResponse(responseCode = "410", description = "cursor-expired: events after this cursor were deleted by retention; "
            + "`oldestCursor` is the oldest valid cursor",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<EventPage> poll(
            @QueryParam("after") @Parameter(description = "Event id to continue after (a previous `nextCursor` or `head`)") String after,
            @QueryParam("cursor") @Parameter(description = "Same as `after` (the list convention's name)") String cursor,
            @QueryParam("limit") @Parameter(description = "1..200, default 50") String limit,
            @QueryParam("type") @Parameter(description = "Comma list of event types; `task.*` matches a family") String type,
            @QueryParam("assignee") @Parameter(description = "Comma list of agents (`me`): events of their tasks and of them") String assignee,
            @QueryParam("wait") @Parameter(description = "Seconds to wait for an event when there is none yet, 1..60") String wait) {
        Duration waitFor = WaitParam.parse("wait", wait);
        Long from = EventService.parseCursor(after != null ? "after" : "cursor", after != null ? after : cursor);
        int size = Limits.limit(limit);
        var who = caller.get();
        return events.poll(who, from, size, EventFilter.of(who, type, assignee), waitFor);
    }
}
