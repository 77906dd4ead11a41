package dev.olympus.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.usage.Usage;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /agents/me/heartbeat}. Every field is optional; {@code taskId} names an in_progress task the caller
 * holds, whose lease the heartbeat renews ({@code leaseEpoch}, when sent, must still be the task's), or an in_review
 * task whose review the caller holds, whose review lease it renews.
 */
public record HeartbeatRequest(
        @Pattern(regexp = "idle|working", message = "must be idle or working") String status,
        @Positive Long taskId,
        @PositiveOrZero Long leaseEpoch,
        @Size(max = 1024) String note,
        @Schema(implementation = Usage.class, description = "usage increments since your previous report, attributed to"
                + " this agent and to taskId when given (which you must hold, else 403); recorded before the heartbeat")
        JsonNode usage) {}
