package dev.olympus.mcp;

import dev.olympus.web.Limits;
import dev.olympus.webhook.WebhookRequests;
import dev.olympus.webhook.WebhookService;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolGuardrails;
import io.quarkiverse.mcp.server.ToolResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Webhook tools for operators: the same service and rules as {@code /api/v1/webhooks}. */
@ApplicationScoped
public class WebhookTools {

    private final WebhookService webhooks;
    private final ToolResults results;

    public WebhookTools(WebhookService webhooks, ToolResults results) {
        this.webhooks = webhooks;
        this.results = results;
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "list_webhooks", description = """
            List the webhooks (operators): url, filters, state (active, paused, disabled), cursor (last event \
            acknowledged), consecutive failures and lastError. Answers {"items", "nextCursor"}.""",
            annotations = @Tool.Annotations(title = "List webhooks", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    public Uni<ToolResponse> listWebhooks(
            @ToolArg(description = "Page size, 1..200 (default 50)", required = false) Integer limit,
            @ToolArg(description = "nextCursor of the previous page", required = false) String cursor) {
        return results.run(caller -> webhooks.list(caller, cursor, Limits.limit(limit == null ? null : limit.toString())));
    }

    @ToolGuardrails(input = ArgumentCheck.class)
    @Tool(name = "create_webhook", description = """
            Register a webhook (operators): matching events are POSTed to `url` (http or https) in order, at least \
            once, signed per Standard Webhooks. Answers {"webhook", "secret"}: the secret (whsec_...) is shown only \
            this once; the receiver verifies webhook-signature with it.""",
            annotations = @Tool.Annotations(title = "Create a webhook", destructiveHint = false, openWorldHint = true))
    public Uni<ToolResponse> createWebhook(
            @ToolArg(description = "The receiver's http:// or https:// URL") String url,
            @ToolArg(description = "Event types or prefixes ending in \".\" (e.g. task.ready, task.); default: all", required = false)
            List<String> types,
            @ToolArg(description = "Only events concerning this agent", required = false) String assignee,
            @ToolArg(description = "Only events of tasks carrying this label", required = false) String label,
            @ToolArg(description = "What the webhook is for", required = false) String description,
            @ToolArg(description = "Deliver events after this id (default: from now on)", required = false) Long after) {
        return results.write(caller -> webhooks.create(caller, new WebhookRequests.Create(url, types, assignee, label,
                description, after)));
    }
}
