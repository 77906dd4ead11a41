package dev.olympus.agent;

import dev.olympus.auth.Role;
import dev.olympus.usage.Budget;
import dev.olympus.usage.PeriodUsage;
import dev.olympus.usage.UsageTotals;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** An agent as the API shows it. */
@RegisterForReflection
public record Agent(
        String name,
        Role role,
        String description,
        int heartbeatIntervalSeconds,
        List<String> capabilities,
        Integer wipLimit,
        String state,
        String stateReason,
        Instant lastHeartbeatAt,
        Instant nextHeartbeatDueAt,
        int openTasks,
        int inProgressTasks,
        Instant createdAt,
        String lastHeartbeatNote,
        Instant revivedAt,
        String revivedBy,
        String reviveReason,
        @Schema(description = "cumulative usage reported by this agent") UsageTotals usage,
        @Schema(description = "usage in the current budget period") PeriodUsage periodUsage,
        @Schema(description = "the agent's own budget, or null") Budget budget) {}
