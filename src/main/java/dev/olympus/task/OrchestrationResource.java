package dev.olympus.task;

import dev.olympus.auth.CurrentCaller;
import dev.olympus.wait.WaitParam;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import java.time.Duration;
import dev.olympus.web.ETags;
import dev.olympus.web.OptionalJsonBody;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Claims, dependencies, retries and cancels: maps HTTP to {@link ClaimService}, {@link Dependencies},
 * {@link RetryService}, {@link TaskCancels}.
 */
@Path("/api/v1/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tasks")
public class OrchestrationResource {

    private final ClaimWaiter claims;
    private final Dependencies dependencies;
    private final RetryService retries;
    private final TaskCancels cancels;
    private final CurrentCaller caller;
    private final OptionalJsonBody body;

    public OrchestrationResource(ClaimWaiter claims, Dependencies dependencies, RetryService retries, TaskCancels cancels,
                                 CurrentCaller caller, OptionalJsonBody body) {
        this.claims = claims;
        this.dependencies = dependencies;
        this.retries = retries;
        this.cancels = cancels;
        this.caller = caller;
        this.body = body;
    }

    @POST
    @Path("claim")
    @Operation(summary = "Claim the next ready task (workers; also orchestrators and operators)", description = """
            Atomically takes the highest-priority, oldest, ready `todo` task that is assigned to the caller, or \
            unassigned and matching its capabilities (the caller has no capabilities, or the task has no labels, or \
            they share a label), and starts it: `in_progress`, `assignee` = caller, a lease until `leaseExpiresAt` \
            and a new `leaseEpoch` (send it back as `Olympus-Lease-Epoch` to be fenced against a later holder). \
            `labels` narrows the claim to tasks carrying at least one of them. Two claimers never get the same task. \
            204 when there is nothing to take, or when the caller already holds `wipLimit` tasks in progress. \
            The body is optional. Observers: 403. \
            With `wait=<1..60>` (seconds) and nothing to take now, the request is held (no thread per waiter) until \
            a task becomes claimable for the caller (created, made ready, released or requeued on any instance: \
            answered within 1 s) or the wait ends (204). A freeze answers 204; a kill 403 `agent-killed`. A 200 has \
            claimed the task; if the connection is gone before the answer is written, the task is given back at \
            once (todo, new `leaseEpoch`, as after an expired lease). The request counts once against the rate limit.""")
    @APIResponse(responseCode = "200", description = "The claimed task")
    @APIResponse(responseCode = "204", description = "Nothing to claim (or at the WIP limit, or the wait ended)")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = OrchestrationRequests.Claim.class)))
    public Uni<RestResponse<Task>> claim(String request, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                         @QueryParam("wait") @Parameter(description = "Seconds to wait for a task, 1..60") String wait,
                                         @Context HttpServerResponse response) {
        Duration waitFor = WaitParam.parse("wait", wait);
        var claim = body.read(request, contentType, OrchestrationRequests.Claim.class, new OrchestrationRequests.Claim(null));
        return claims.claim(caller.get(), claim.labels(), waitFor)
                .map(task -> waitFor == null ? task : claims.handOver(task, response))
                .map(task -> task == null ? RestResponse.<Task>noContent() : withETag(task));
    }

    @PUT
    @Path("{id}/dependencies")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a task's dependencies (orchestrator, operator)", description = """
            Replaces the whole set; answers the task. A set that would close a cycle (directly, or through other \
            tasks) is refused with 409 `dependency-cycle`; concurrent edits are serialised, so two edits cannot form \
            a cycle together. Unknown ids: 400. `If-Match` with a stale version: 412.""")
    public Uni<RestResponse<Task>> dependencies(@PathParam("id") long id, @NotNull @Valid OrchestrationRequests.DependsOn request,
                                                @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return dependencies.replace(caller.get(), id, request.dependsOn(), ETags.expectedVersion(ifMatch))
                .map(OrchestrationResource::withETag);
    }

    @POST
    @Path("{id}/retry")
    @Operation(summary = "Retry a failed task (orchestrator, operator)", description = """
            Creates a new task with the failed task's title, description, priority, labels, dependencies and \
            `maxAttempts`, `attempt` + 1 and `retryOf` set; unassigned unless the optional body names an `assignee` \
            (not an observer, not killed). \
            Tasks that depended on the failed one now depend on the retry. Emits `task.created` (with \
            `data.task.retryOf`). 409 `invalid-transition` when the task is not `failed`, 409 `max-attempts` when it \
            was the last allowed attempt, 409 `already-retried` (with `retryTaskId`) when it was retried before.""")
    @APIResponse(responseCode = "201", description = "The retry, with Location")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = OrchestrationRequests.Retry.class)))
    public Uni<RestResponse<Task>> retry(@PathParam("id") long id, String request,
                                         @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, UriInfo uri) {
        var retry = body.read(request, contentType, OrchestrationRequests.Retry.class, new OrchestrationRequests.Retry(null));
        return retries.retry(caller.get(), id, retry.assignee())
                .map(task -> RestResponse.ResponseBuilder
                        .<Task>created(uri.getBaseUriBuilder().path("api/v1/tasks").path(Long.toString(task.id())).build())
                        .entity(task)
                        .header(HttpHeaders.ETAG, ETags.of(task.version()))
                        .build());
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel a task (orchestrator, operator)", description = """
            Body `{ "reason": "...", "cascade": false }`. Moves a `todo`, `blocked`, `in_progress` or `in_review` \
            task to `canceled`; the reason (1..2000 characters) is added as a comment by the caller and carried by \
            `task.status_changed` (`data.reason`). A held task's lease ends at once: the former holder's later \
            PATCHes and heartbeats naming it get 409 `task-canceled`, and its next heartbeat lists the task in \
            `canceledTaskIds`. With `cascade: true` every `todo` or `blocked` task that depends on it, directly or \
            transitively, is canceled too (system comment, `data.cascadeOf`), in the same transaction. Answers the \
            task with `cascaded` (the ids canceled with it). 422 `cancel-reason-required` without a reason; 409 \
            `invalid-transition` from `done`, `failed` or `canceled`; workers and observers: 403. `If-Match` with a \
            stale version: 412.""")
    @APIResponse(responseCode = "200", description = "The canceled task with `cascaded`",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskCancels.Outcome.class)))
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = OrchestrationRequests.Cancel.class)))
    public Uni<RestResponse<TaskCancels.Outcome>> cancel(@PathParam("id") long id, String request,
                                                         @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                                         @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        var cancel = body.read(request, contentType, OrchestrationRequests.Cancel.class, new OrchestrationRequests.Cancel(null, null));
        return cancels.cancel(caller.get(), id, cancel.reason(), Boolean.TRUE.equals(cancel.cascade()), ETags.expectedVersion(ifMatch))
                .map(outcome -> RestResponse.ResponseBuilder.ok(outcome)
                        .header(HttpHeaders.ETAG, ETags.of(outcome.task().version())).build());
    }

    private static RestResponse<Task> withETag(Task task) {
        return RestResponse.ResponseBuilder.ok(task).header(HttpHeaders.ETAG, ETags.of(task.version())).build();
    }
}
