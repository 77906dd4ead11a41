package dev.olympus.task;

import dev.olympus.auth.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;

/** {@code POST /api/v1/plans}: HTTP only, the rules are in {@link Plans}. */
@Path("/api/v1/plans")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tasks")
public class PlanResource {

    /** The answer: the created tasks in the order given. */
    public record Created(List<Task> tasks) {}

    private final Plans plans;
    private final CurrentCaller caller;

    public PlanResource(Plans plans, CurrentCaller caller) {
        this.plans = plans;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a plan: 1..200 tasks in one transaction (orchestrator, operator)", description = """
            Every task takes the fields of `POST /tasks` plus an optional `ref`; `dependsOn` lists refs of tasks of \
            this plan (strings) or ids of existing tasks (integers); `parentId` (of the plan) is the parent of every \
            task that names none. All tasks are created or none: bad input is 400 `validation-failed` naming \
            `tasks[i].field` (unknown or repeated ref, self-dependency, unknown id, invalid field); a cycle among \
            the plan's tasks is 409 `dependency-cycle` (`taskIndex`); a title equal to an open task of the caller, \
            or to another task of the plan, is 409 `duplicate-task` (`taskIndex`); the creation budget must take \
            the whole plan, else 429 `rate-limited` and nothing is created. 201 with `{tasks}` in the order given.""")
    public Uni<RestResponse<Created>> create(@NotNull @Valid PlanRequest request) {
        return plans.create(caller.get(), request).map(tasks -> RestResponse.status(RestResponse.Status.CREATED, new Created(tasks)));
    }
}
