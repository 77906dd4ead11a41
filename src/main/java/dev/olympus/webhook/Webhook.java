package dev.olympus.webhook;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** A webhook as the API shows it (never its secret). */
@RegisterForReflection
public record Webhook(
        long id,
        String url,
        @Schema(description = "Event types, or prefixes ending in \".\"; empty: every type") List<String> types,
        @Schema(description = "Only events concerning this agent (its tasks and itself)") String assignee,
        @Schema(description = "Only events of tasks carrying this label") String label,
        String description,
        @Schema(enumeration = {"active", "paused", "disabled"}) String state,
        @Schema(description = "The last event id acknowledged by the receiver") long cursor,
        @Schema(description = "Consecutive failed attempts") int failures,
        String lastError,
        Instant lastDeliveredAt,
        @Schema(description = "When the next attempt is due (retries back off)") Instant nextAttemptAt,
        @Schema(description = "Until when the previous secret still signs in parallel (after a rotation)") Instant previousSecretUntil,
        String createdBy,
        long version,
        Instant createdAt) {}
