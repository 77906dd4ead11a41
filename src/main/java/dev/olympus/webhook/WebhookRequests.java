package dev.olympus.webhook;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Request bodies of the webhook endpoints (validated by {@link WebhookService}, which names the field). */
public final class WebhookRequests {

    private WebhookRequests() {}

    @RegisterForReflection
    public record Create(
            @Schema(required = true, description = "http:// or https:// URL the events are POSTed to") String url,
            @Schema(description = "Event types, or prefixes ending in \".\" (e.g. \"task.\"); empty or absent: all") List<String> types,
            @Schema(description = "Only events concerning this agent") String assignee,
            @Schema(description = "Only events of tasks carrying this label") String label,
            String description,
            @Schema(description = "Deliver events after this id; default: from now on") Long after) {}

    @RegisterForReflection
    public record Patch(@Schema(enumeration = {"active", "paused"}) String state) {}

    @RegisterForReflection
    public record Replay(@Schema(required = true, description = "Rewind the cursor to this event id") Long after) {}

    /** The answer to a creation or a rotation: the secret is shown this once. */
    @RegisterForReflection
    public record Created(Webhook webhook,
                          @Schema(description = "whsec_<base64 of 32 bytes>: verify webhook-signature with it") String secret) {}
}
