package dev.olympus.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.auth.CurrentCaller;
import dev.olympus.event.Event;
import dev.olympus.web.ETags;
import dev.olympus.web.Limits;
import dev.olympus.web.Page;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Maps the task endpoints to {@link TaskService} and {@link CommentService}; HTTP only. */
@Path("/api/v1/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tasks")
public class TaskResource {

    static final String MERGE_PATCH = "application/merge-patch+json";

    private final TaskService tasks;
    private final CommentService comments;
    private final CurrentCaller caller;

    public TaskResource(TaskService tasks, CommentService comments, CurrentCaller caller) {
        this.tasks = tasks;
        this.comments = comments;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a task (orchestrator, operator)", description = """
            The `assignee`, when given, must be an agent that can work: not an observer and not killed (400 \
            `validation-failed` on `assignee`). `reviewRequired` (default `olympus.review.required-by-default`), \
            `acceptanceCriteria` (up to 20 texts of up to 500 characters) and `parentId` (an existing task; 400 on \
            `parentId` otherwise) may be set; see also `POST /api/v1/plans`.""")
    public Uni<RestResponse<Task>> create(@NotNull @Valid CreateTaskRequest request, UriInfo uri) {
        return tasks.create(caller.get(), request).map(task -> RestResponse.ResponseBuilder
                .<Task>created(uri.getAbsolutePathBuilder().path(Long.toString(task.id())).build())
                .entity(task)
                .header(HttpHeaders.ETAG, ETags.of(task.version()))
                .build());
    }

    @GET
    @Operation(summary = "List tasks", description = """
            Filters combine. `status`, `assignee`, `priority`, `label` and `createdBy` accept comma lists; \
            `assignee=me` is the caller. `q` searches title and description literally. \
            Order: priority (critical first), then oldest first.""")
    public Uni<Page<Task>> list(
            @QueryParam("assignee") String assignee,
            @QueryParam("status") String status,
            @QueryParam("priority") String priority,
            @QueryParam("label") String label,
            @QueryParam("ready") @Parameter(description = "true or false") String ready,
            @QueryParam("needsAttention") @Parameter(description = "true or false") String needsAttention,
            @QueryParam("createdBy") String createdBy,
            @QueryParam("updatedSince") @Parameter(description = "ISO-8601 instant") String updatedSince,
            @QueryParam("q") String q,
            @QueryParam("parentId") @Parameter(description = "only the children of this task") String parentId,
            @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        var params = new TaskFilter.Params(assignee, status, priority, label, ready, needsAttention, createdBy,
                updatedSince, q, cursor, parentId);
        return tasks.list(TaskFilter.parse(params, caller.get(), Limits.limit(limit)));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get a task")
    public Uni<RestResponse<Task>> get(@PathParam("id") long id) {
        return tasks.get(id).map(TaskResource::withETag);
    }

    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, MERGE_PATCH})
    @Operation(summary = "Change a task (JSON merge patch)", description = """
            Everyone with write access may send `status`, `result` and `comment` (stored atomically with the change); \
            orchestrators and operators also `title`, `description`, `assignee`, `priority` and `labels`. \
            Workers change only tasks assigned to them. `If-Match` with a stale version: 412 `version-conflict`. \
            A holder that sends `Olympus-Lease-Epoch: <leaseEpoch>` (the value its claim answered) is refused with \
            409 `lease-lost` once the task has a newer holding (requeued after an expired lease, reassigned, \
            claimed again). A move to `blocked` may carry `blockedOn: [taskIds]`: they are added to `dependsOn`, and \
            when they are all `done` the task returns to `todo` by itself (system comment, events); 409 \
            `dependency-cycle` if that would close a cycle, 409 `blockers-done` if they are all done already. \
            A move to `in_progress` past the assignee's `wipLimit`: 409 `wip-limit`. Any write of the assignee \
            on its in_progress task renews the lease. A new `assignee` must not be an observer or a killed agent \
            (400 `validation-failed`). \
            Review: orchestrators and operators may also set `reviewRequired` and `acceptanceCriteria`. With \
            `reviewRequired` the assignee cannot move its task to `done` (409 `review-required`) nor accept or \
            reject it (403 `self-review`); a reviewer (orchestrator, operator, worker with capability `review`, \
            sending only `status` and `comment`) accepts (`in_review` -> `done`) or rejects (-> `in_progress` or \
            `todo`, with `comment`, else 422 `rejection-reason-required`). A task with `acceptanceCriteria` enters \
            `in_review` or `done` only with `evidence: [{criterion, text}]` for every criterion (422 \
            `evidence-required` with `missing`; an unknown index or blank text: 400). A parent enters `done` only \
            when no child is open (409 `children-open`).""")
    public Uni<RestResponse<Task>> patch(@PathParam("id") long id, @NotNull JsonNode body,
                                         @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                                         @HeaderParam(Leases.HEADER) String leaseEpoch) {
        TaskPatch patch = TaskPatch.parse(body);
        Long expected = ETags.expectedVersion(ifMatch);
        return tasks.patch(caller.get(), id, patch, expected, Leases.epoch(leaseEpoch)).map(TaskResource::withETag);
    }

    @POST
    @Path("{id}/comments")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Comment on a task (any role but observer)")
    public Uni<RestResponse<Comment>> comment(@PathParam("id") long id, @NotNull @Valid CreateCommentRequest request,
                                              UriInfo uri) {
        return comments.add(caller.get(), id, request.body()).map(comment -> RestResponse.ResponseBuilder
                .<Comment>created(uri.getAbsolutePathBuilder().path(Long.toString(comment.id())).build())
                .entity(comment)
                .build());
    }

    @GET
    @Path("{id}/comments")
    @Operation(summary = "List a task's comments, oldest first")
    public Uni<Page<Comment>> comments(@PathParam("id") long id, @QueryParam("limit") String limit,
                                       @QueryParam("cursor") String cursor) {
        return comments.list(id, cursor, Limits.limit(limit));
    }

    @GET
    @Path("{id}/comments/{commentId}")
    @Operation(summary = "Get one comment")
    public Uni<Comment> comment(@PathParam("id") long id, @PathParam("commentId") long commentId) {
        return comments.get(id, commentId);
    }

    @GET
    @Path("{id}/history")
    @Operation(summary = "A task's events, oldest first")
    public Uni<Page<Event>> history(@PathParam("id") long id, @QueryParam("limit") String limit,
                                    @QueryParam("cursor") String cursor) {
        return comments.history(id, cursor, Limits.limit(limit));
    }

    private static RestResponse<Task> withETag(Task task) {
        return RestResponse.ResponseBuilder.ok(task).header(HttpHeaders.ETAG, ETags.of(task.version())).build();
    }
}
