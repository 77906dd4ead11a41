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
        @Schema(description = "cumulative usage reported on this task (this attempt)") UsageTotals usage) {

    /** Not part of the task's JSON: the contract has no {@code open} field. */
    @JsonIgnore
    public boolean isOpen() {
        return status.isOpen();
    }
}
