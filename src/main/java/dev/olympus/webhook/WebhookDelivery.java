package dev.olympus.webhook;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** One delivery attempt, for the delivery log. */
@RegisterForReflection
public record WebhookDelivery(
        long eventId,
        @Schema(description = "1 for the first attempt of this event, then one more per retry") int attempt,
        @Schema(description = "The receiver's HTTP status; null when none came (timeout, refused, reset)") Integer status,
        long durationMs,
        @Schema(description = "Why the attempt failed; null on success") String error,
        Instant at) {}
