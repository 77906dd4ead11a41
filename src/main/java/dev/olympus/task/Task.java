package dev.olympus.task;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.olympus.usage.UsageTotals;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** A task as the API shows it. */
@RegisterForReflection
public record Task(
        long id,
        String title,
        String description,
        TaskStatus status,
        Priority priority,
        String assignee,
        String createdBy,
        List<String> labels,
        List<Long> dependsOn,
        boolean ready,
        int attempt,
        int maxAttempts,
        Long retryOf,
        String result,
        boolean needsAttention,
        String attentionReason,
        Instant leaseExpiresAt,
        long leaseEpoch,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant completedAt,
        int commentCount,
        boolean reviewRequired,
        List<String> acceptanceCriteria,
        List<Evidence> evidence,
        String reviewedBy,
        int rejections,
        String reviewHolder,
        Instant reviewLeaseExpiresAt,
        Long parentId,
        Children children,
        @Schema(description = "cumulative usage reported on this task (this attempt)") UsageTotals usage) {

    /** Evidence for one acceptance criterion (its index in {@code acceptanceCriteria}). */
    @RegisterForReflection
    public record Evidence(int criterion, String text) {}

    /** A parent's roll-up of its children by status ({@code open}: todo, in_progress, in_review, blocked). */
    @RegisterForReflection
    public record Children(long total, long open, long done, long failed, long canceled) {}

    /** Not part of the task's JSON: the contract has no {@code open} field. */
    @JsonIgnore
    public boolean isOpen() {
        return status.isOpen();
    }
}
