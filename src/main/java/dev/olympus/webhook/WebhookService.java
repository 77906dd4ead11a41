package dev.olympus.webhook;

import dev.olympus.auth.Caller;
import dev.olympus.auth.Role;
import dev.olympus.db.Transactions;
import dev.olympus.event.EventRepository;
import dev.olympus.web.Cursors;
import dev.olympus.web.Page;
import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/** The webhook rules (operators only): validation, creation with a secret shown once, state, replay, rotation. */
@ApplicationScoped
public class WebhookService {

    static final int MAX_URL = 2000;
    static final int MAX_DESCRIPTION = 2000;
    static final int MAX_LABEL = 100;

    private final Transactions transactions;
    private final WebhookRepository webhooks;
    private final EventRepository events;
    private final WebhookDeliverer deliverer;
    private final WebhooksConfig config;

    public WebhookService(Transactions transactions, WebhookRepository webhooks, EventRepository events,
                          WebhookDeliverer deliverer, WebhooksConfig config) {
        this.transactions = transactions;
        this.webhooks = webhooks;
        this.events = events;
        this.deliverer = deliverer;
        this.config = config;
    }

    public Uni<WebhookRequests.Created> create(Caller caller, WebhookRequests.Create request) {
        requireOperator(caller);
        if (request == null) {
            throw ProblemException.validation("url", "is required");
        }
        String url = url(request.url());
        List<String> types = WebhookFilters.types(request.types());
        String assignee = WebhookFilters.assignee(request.assignee());
        String label = optional("label", request.label(), MAX_LABEL);
        String description = optional("description", request.description(), MAX_DESCRIPTION);
        if (request.after() != null && request.after() < 0) {
            throw ProblemException.validation("after", "must be an event id (a non-negative integer)");
        }
        byte[] key = Signatures.newKey();
        var normalised = new WebhookRequests.Create(url, types, assignee, label, description, request.after());
        Uni<Long> after = request.after() != null ? Uni.createFrom().item(request.after()) : events.head(transactions.pool());
        return after.chain(from -> webhooks.insert(transactions.pool(), normalised, types, from, key, caller.name()))
                .invoke(deliverer::wake)
                .map(webhook -> new WebhookRequests.Created(webhook, Signatures.secret(key)));
    }

    public Uni<Page<Webhook>> list(Caller caller, String cursor, int limit) {
        requireOperator(caller);
        long after = cursor == null || cursor.isBlank() ? 0 : Cursors.decodeLong(Cursors.decode(cursor, 1)[0]);
        return webhooks.list(transactions.pool(), after, limit + 1).map(items -> {
            boolean more = items.size() > limit;
            List<Webhook> page = items.stream().limit(limit).toList();
            return new Page<>(page, more ? Cursors.encode(Long.toString(page.getLast().id())) : null);
        });
    }

    public Uni<Webhook> get(Caller caller, long id) {
        requireOperator(caller);
        return found(id, webhooks.find(transactions.pool(), id));
    }

    /** PATCH {@code {state: paused|active}}; {@code active} resumes a paused or disabled webhook from its cursor. */
    public Uni<Webhook> patch(Caller caller, long id, WebhookRequests.Patch request, Long expectedVersion) {
        requireOperator(caller);
        String state = request == null || request.state() == null ? null : request.state().trim().toLowerCase(Locale.ROOT);
        if (!"paused".equals(state) && !"active".equals(state)) {
            throw ProblemException.validation("state", "must be \"paused\" or \"active\"");
        }
        return found(id, webhooks.setState(transactions.pool(), id, state, expectedVersion)
                .chain(updated -> updated != null || expectedVersion == null ? Uni.createFrom().item(updated)
                        : webhooks.find(transactions.pool(), id).map(current -> {
                            if (current != null) {
                                throw new ProblemException(412, ProblemCode.VERSION_CONFLICT, "Version conflict",
                                        "Webhook " + id + " is at version " + current.version() + ", not " + expectedVersion + ".");
                            }
                            return null;
                        })))
                .invoke(deliverer::wake);
    }

    public Uni<Void> delete(Caller caller, long id) {
        requireOperator(caller);
        return webhooks.delete(transactions.pool(), id).map(deleted -> {
            if (!deleted) {
                throw notFound(id);
            }
            return null;
        });
    }

    /** Rewinds (or moves) the cursor: the events after {@code after} are delivered (again), in order. */
    public Uni<Webhook> replay(Caller caller, long id, WebhookRequests.Replay request) {
        requireOperator(caller);
        if (request == null || request.after() == null || request.after() < 0) {
            throw ProblemException.validation("after", "must be an event id (a non-negative integer)");
        }
        return found(id, webhooks.replay(transactions.pool(), id, request.after())).invoke(deliverer::wake);
    }

    /** A new secret signs from now on; the previous one keeps signing in parallel for {@code secret-overlap}. */
    public Uni<WebhookRequests.Created> rotate(Caller caller, long id) {
        requireOperator(caller);
        byte[] key = Signatures.newKey();
        return found(id, webhooks.rotate(transactions.pool(), id, key, config.secretOverlap().toMillis() / 1000.0))
                .map(webhook -> new WebhookRequests.Created(webhook, Signatures.secret(key)));
    }

    public Uni<Page<WebhookDelivery>> deliveries(Caller caller, long id, String cursor, int limit) {
        requireOperator(caller);
        long before = cursor == null || cursor.isBlank() ? Long.MAX_VALUE : Cursors.decodeLong(Cursors.decode(cursor, 1)[0]);
        return found(id, webhooks.find(transactions.pool(), id))
                .chain(webhook -> webhooks.deliveries(transactions.pool(), id, before, limit)
                        .chain(items -> items.size() < limit ? Uni.createFrom().item(new Page<>(items, null))
                                : webhooks.deliveryIdAt(transactions.pool(), id, before, limit - 1).map(last ->
                                        new Page<>(items, last == null ? null : Cursors.encode(Long.toString(last))))));
    }

    private static String url(String raw) {
        String url = raw == null ? "" : raw.trim();
        if (url.isEmpty()) {
            throw ProblemException.validation("url", "is required");
        }
        if (url.length() > MAX_URL) {
            throw ProblemException.validation("url", "at most " + MAX_URL + " characters");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawUserInfo() == null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // the problem below
        }
        throw ProblemException.validation("url", "must be an absolute http:// or https:// URL with a host (no user info)");
    }

    private static String optional(String field, String raw, int max) {
        if (raw == null) {
            return null;
        }
        String value = raw.trim();
        if (value.isEmpty()) {
            throw ProblemException.validation(field, "must not be blank");
        }
        if (value.length() > max) {
            throw ProblemException.validation(field, "at most " + max + " characters");
        }
        return value;
    }

    private static <T> Uni<T> found(long id, Uni<T> lookup) {
        return lookup.onItem().ifNull().failWith(() -> notFound(id));
    }

    private static ProblemException notFound(long id) {
        return ProblemException.notFound("Webhook " + id);
    }

    private static void requireOperator(Caller caller) {
        if (!caller.is(Role.OPERATOR)) {
            throw ProblemException.forbidden("Only operators manage webhooks.");
        }
    }
}
