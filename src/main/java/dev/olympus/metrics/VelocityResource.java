package dev.olympus.metrics;

import dev.olympus.auth.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;

@Path("/api/v1/metrics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Metrics")
public class VelocityResource {

    private final VelocityService service;
    private final CurrentCaller caller;
    private final MetricsConfig config;

    public VelocityResource(VelocityService service, CurrentCaller caller, MetricsConfig config) {
        this.service = service;
        this.caller = caller;
        this.config = config;
    }

    @GET
    @Path("velocity")
    @Operation(summary = "Delivery velocity from the event history (any role)", description = """
            Counts, per UTC-aligned bucket and in total, what the event log recorded in [since, until): \
            `created` (task.created, retries included), `started` (first move of a task to in_progress), \
            `completed`/`failed`/`canceled` (moves to that status), `reopened` (done/failed/canceled back to todo), \
            `retries` (created tasks with retryOf). Derived: `failureRate` = failed / (completed + failed), \
            `completionRatio` = completed / created, `retryShare` = retries / created — each null when its \
            denominator is 0; `cycleTimeP50Seconds`/`cycleTimeP90Seconds` over the completions in the bucket, from \
            the task's first in_progress to that done (null when none); `effectiveVelocity` = completions that were \
            not reopened later (as the log knows now), per hour of the bucket's part inside [since, until). \
            `assignee` and `createdBy` filter on the task as the event recorded it (its assignee at that time); \
            `me` is the caller. Cost (exact decimals, from usage reports): `costUsd` = USD reported in the bucket             (`assignee` filters on the reporting agent, `createdBy` on the creator of the task reported on),             `costPerCompletedTask` = costUsd / completed (null when none completed), `costOnFailedShare` = the part             of costUsd reported on tasks now `failed` or `canceled` / costUsd (null when costUsd is 0); both with 6             decimals, rounded half-even. Defaults: until = now, since = until - 24 h, bucket = hour. At most \
            `olympus.metrics.velocity-max-buckets` (2000) buckets.""")
    public Uni<Velocity> velocity(
            @QueryParam("since") @Parameter(description = "ISO-8601 instant, inclusive (default: until - 24 h)") String since,
            @QueryParam("until") @Parameter(description = "ISO-8601 instant, exclusive (default: now)") String until,
            @QueryParam("bucket") @Parameter(description = "hour (default) or day") String bucket,
            @QueryParam("assignee") @Parameter(description = "agent name or me") String assignee,
            @QueryParam("createdBy") @Parameter(description = "agent name or me") String createdBy) {
        VelocityQuery query = VelocityQuery.parse(new VelocityQuery.Params(since, until, bucket, assignee, createdBy),
                caller.get(), Clock.systemUTC(), config.velocityMaxBuckets());
        return service.velocity(query);
    }
}
