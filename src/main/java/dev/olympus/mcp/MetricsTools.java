package dev.olympus.mcp;

import dev.olympus.metrics.MetricsConfig;
import dev.olympus.metrics.VelocityQuery;
import dev.olympus.metrics.VelocityService;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolGuardrails;
import io.quarkiverse.mcp.server.ToolResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

/** How the team is doing: the velocity summary of {@code GET /api/v1/metrics/velocity}. */
@ApplicationScoped
public class MetricsTools {

    private final VelocityService velocity;
    private final MetricsConfig config;
    private final ToolResults results;

    public MetricsTools(VelocityService velocity, MetricsConfig config, ToolResults results) {
        this.velocity = velocity;
        this.config = config;
        this.results = results;
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "velocity", description = """
            Delivery velocity from the event history (any role): per hour or day bucket and in total, counts of \
            created, started, completed, failed, canceled, reopened and retried tasks, failureRate, completionRatio, \
            retryShare, cycle time p50/p90 (seconds from first in_progress to done) and effectiveVelocity \
            (completions not reopened, per hour). Answers {"since", "until", "bucket", "buckets": [...], "total"}. \
            Defaults: the last 24 hours by hour. Read `total` for a summary.""",
            annotations = @Tool.Annotations(title = "Velocity", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    public Uni<ToolResponse> velocity(
            @ToolArg(description = "ISO-8601 instant, inclusive (default: until minus 24 h)", required = false)
            String since,
            @ToolArg(description = "ISO-8601 instant, exclusive (default: now)", required = false) String until,
            @ToolArg(description = "hour (default) or day", required = false) String bucket,
            @ToolArg(description = "Only tasks assigned to this agent; `me` is you", required = false) String assignee,
            @ToolArg(description = "Only tasks created by this agent; `me` is you", required = false) String createdBy) {
        return results.run(caller -> velocity.velocity(VelocityQuery.parse(
                new VelocityQuery.Params(since, until, bucket, assignee, createdBy), caller, Clock.systemUTC(),
                config.velocityMaxBuckets())));
    }
}
