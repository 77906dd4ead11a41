package dev.olympus.webhook;

import dev.olympus.auth.CurrentCaller;
import dev.olympus.web.ETags;
import dev.olympus.web.Limits;
import dev.olympus.web.Page;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Maps the webhook endpoints to {@link WebhookService}; HTTP only. */
@Path("/api/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks", description = """
        Operators register URLs that receive events as they happen. Each matching event (the same JSON object the \
        event stream carries) is POSTed in event-id order, at least once, one at a time per webhook, with the \
        Standard Webhooks headers `webhook-id` (the event id, the same on every retry), `webhook-timestamp` (Unix \
        seconds) and `webhook-signature: v1,<base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}"))>` \
        where key is the base64-decoded part of the secret after `whsec_` (after a rotation, two space-separated \
        signatures for 24 h: accept either). A 2xx within 10 s acknowledges and moves `cursor`; anything else \
        (other status, 3xx, timeout, closed connection, a body over 64 KiB) is retried with exponential backoff \
        from 1 s up to 10 min, never skipping or reordering. After `olympus.webhooks.disable-after` (24 h) of \
        failures the webhook becomes `disabled` (event `webhook.disabled`); PATCH `{state: "active"}` resumes it \
        from its cursor. With several instances each event is delivered by one of them; an instance that dies \
        mid-delivery is taken over after `olympus.webhooks.lease` and the event is delivered again.""")
public class WebhookResource {

    private final WebhookService webhooks;
    private final CurrentCaller caller;

    public WebhookResource(WebhookService webhooks, CurrentCaller caller) {
        this.webhooks = webhooks;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a webhook (operator)", description = """
            `url`: http:// or https:// only. `types`: event types or prefixes ending in "." (e.g. "task."); absent \
            or empty: every type; an unknown type: 400 naming `types`. `assignee`: only events concerning that agent \
            (its tasks and itself); `label`: only events of tasks carrying it. `after`: deliver the events after \
            this id (default: from now on). Answers the webhook and its `secret` (`whsec_...`), shown this once.""")
    @APIResponse(responseCode = "201", description = "The webhook and its secret, with Location")
    public Uni<RestResponse<WebhookRequests.Created>> create(WebhookRequests.Create request, UriInfo uri) {
        return webhooks.create(caller.get(), request).map(created -> RestResponse.ResponseBuilder
                .<WebhookRequests.Created>created(uri.getAbsolutePathBuilder().path(Long.toString(created.webhook().id())).build())
                .entity(created)
                .header(HttpHeaders.ETAG, ETags.of(created.webhook().version()))
                .build());
    }

    @GET
    @Operation(summary = "List webhooks (operator)", description = "Oldest first.")
    public Uni<Page<Webhook>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return webhooks.list(caller.get(), cursor, Limits.limit(limit));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get a webhook (operator)")
    public Uni<RestResponse<Webhook>> get(@PathParam("id") long id) {
        return webhooks.get(caller.get(), id).map(WebhookResource::withETag);
    }

    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @Operation(summary = "Pause or resume a webhook (operator)", description = """
            `{"state": "paused"}` stops deliveries (the cursor stays); `{"state": "active"}` resumes a paused or \
            disabled webhook from its cursor, forgetting the failure streak. `If-Match` with a stale version: 412.""")
    public Uni<RestResponse<Webhook>> patch(@PathParam("id") long id, WebhookRequests.Patch request,
                                            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return webhooks.patch(caller.get(), id, request, ETags.expectedVersion(ifMatch)).map(WebhookResource::withETag);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a webhook (operator)")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Uni<Void> delete(@PathParam("id") long id) {
        return webhooks.delete(caller.get(), id);
    }

    @POST
    @Path("{id}/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rewind a webhook's cursor (operator)", description = """
            `{"after": <event id>}`: the matching events after it are delivered (again), in order. An attempt in \
            flight when the cursor moves is not recorded.""")
    public Uni<RestResponse<Webhook>> replay(@PathParam("id") long id, WebhookRequests.Replay request) {
        return webhooks.replay(caller.get(), id, request).map(WebhookResource::withETag);
    }

    @POST
    @Path("{id}/secret")
    @Operation(summary = "Rotate a webhook's secret (operator)", description = """
            Answers a new secret, shown this once. It signs from now on; the previous secret keeps signing in \
            parallel for `olympus.webhooks.secret-overlap` (24 h): `webhook-signature` then carries two \
            space-separated signatures, and a receiver accepts the request when either verifies.""")
    public Uni<WebhookRequests.Created> rotate(@PathParam("id") long id) {
        return webhooks.rotate(caller.get(), id);
    }

    @GET
    @Path("{id}/deliveries")
    @Operation(summary = "A webhook's recent delivery attempts, newest first (operator)", description = """
            `{ eventId, attempt, status (HTTP code or null), durationMs, error, at }`; the newest \
            `olympus.webhooks.deliveries-kept` (200) attempts are kept.""")
    public Uni<Page<WebhookDelivery>> deliveries(@PathParam("id") long id, @QueryParam("limit") String limit,
                                                 @QueryParam("cursor") String cursor) {
        return webhooks.deliveries(caller.get(), id, cursor, Limits.limit(limit));
    }

    private static RestResponse<Webhook> withETag(Webhook webhook) {
        return RestResponse.ResponseBuilder.ok(webhook).header(HttpHeaders.ETAG, ETags.of(webhook.version())).build();
    }
}
