package dev.olympus.metrics;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The answer of {@code GET /api/v1/metrics/velocity}. */
@RegisterForReflection
public record Velocity(Instant since, Instant until, String bucket, List<Bucket> buckets, Counts total) {

    /** One bucket: counts of the events whose time falls in [start, start + bucket) ∩ [since, until). */
    @RegisterForReflection
    @Schema(name = "VelocityBucket")
    public record Bucket(Instant start, @JsonUnwrapped Counts counts) {}

    /**
     * Numbers of one bucket, or of the whole range. Ratios and percentiles are null when undefined (no denominator,
     * no completed task).
     */
    @RegisterForReflection
    @Schema(name = "VelocityCounts")
    public record Counts(
            @Schema(description = "task.created events (retries included)") long created,
            @Schema(description = "tasks moved to in_progress for the first time") long started,
            @Schema(description = "moves to done (a task done again after a reopen counts again)") long completed,
            @Schema(description = "moves to failed") long failed,
            @Schema(description = "moves to canceled") long canceled,
            @Schema(description = "reopens: moves from done, failed or canceled back to todo") long reopened,
            @Schema(description = "created tasks that are retries (retryOf set)") long retries,
            @Schema(description = "failed / (completed + failed); null when both are 0") Double failureRate,
            @Schema(description = "completed / created; null when created is 0") Double completionRatio,
            @Schema(description = "median seconds from a task's first in_progress to its done; null when none completed")
            Double cycleTimeP50Seconds,
            @Schema(description = "90th percentile of the same") Double cycleTimeP90Seconds,
            @Schema(description = "retries / created; null when created is 0") Double retryShare,
            @Schema(description = "completions not later reopened, per hour of the (covered part of the) bucket")
            double effectiveVelocity,
            @Schema(description = "moves in_review -> done by an agent other than the assignee: delivered value, checked by someone else")
            long accepted,
            @Schema(description = "reviews that sent the work back (in_review -> in_progress or todo by another agent)")
            long rejected,
            @Schema(description = "share of accepted tasks never rejected before; null when none accepted")
            Double firstPassAcceptance,
            @Schema(description = "median seconds from a question's asking to its answer, over the questions answered in "
                    + "the bucket; null when none was") Double questionAnswerP50Seconds,
            @Schema(description = "90th percentile of the same") Double questionAnswerP90Seconds,
            @Schema(description = "USD reported in the bucket (exact)") BigDecimal costUsd,
            @Schema(description = "costUsd / completed, 6 decimals half-even; null when nothing completed")
            BigDecimal costPerCompletedTask,
            @Schema(description = "share of costUsd reported on tasks now failed or canceled, 6 decimals; null when costUsd is 0")
            BigDecimal costOnFailedShare) {}
}
