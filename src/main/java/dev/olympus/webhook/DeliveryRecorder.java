package dev.olympus.webhook;

import dev.olympus.db.Transactions;
import dev.olympus.event.Event;
import dev.olympus.event.NewEvent;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes what one POST of {@link WebhookDeliverer} came to, fenced by the lease epoch: an acknowledgement moves the
 * cursor and renews the lease; a failure sets the next retry (exponential backoff), frees the lease and, after
 * {@code olympus.webhooks.disable-after} of failures, disables the webhook with a {@code webhook.disabled} event.
 * Every attempt is logged for {@code GET .../deliveries}; the log is pruned now and then.
 */
@ApplicationScoped
class DeliveryRecorder {

    private static final int PRUNE_EVERY = 50;

    private final Pool pool;
    private final Transactions transactions;
    private final WebhookRepository webhooks;
    private final WebhooksConfig config;
    private final Map<Long, Integer> sinceLastPrune = new ConcurrentHashMap<>();

    DeliveryRecorder(Pool pool, Transactions transactions, WebhookRepository webhooks, WebhooksConfig config) {
        this.pool = pool;
        this.transactions = transactions;
        this.webhooks = webhooks;
        this.config = config;
    }

    /** Writes the outcome; true when the delivery loop goes on with the next event. */
    Uni<Boolean> recorded(WebhookRepository.Claimed webhook, Event event, int attempt, WebhookSender.Outcome outcome) {
        var logged = new WebhookRepository.Attempt(attempt, outcome.status(), outcome.durationMs(), outcome.error());
        prunePeriodically(webhook.id());
        if (outcome.acknowledged()) {
            return webhooks.delivered(pool, webhook.id(), webhook.leaseEpoch(), event.id(), seconds(config.lease()), logged);
        }
        double backoff = backoffSeconds(attempt);
        Log.debugf("Webhook %d: event %d, attempt %d failed after %d ms (%s); next in %.1f s", webhook.id(), event.id(),
                attempt, outcome.durationMs(), outcome.error(), backoff);
        return transactions.inTransaction(tx -> webhooks.failed(tx.conn(), webhook.id(), webhook.leaseEpoch(), event.id(),
                        backoff, seconds(config.disableAfter()), logged)
                .invoke(state -> {
                    if ("disabled".equals(state)) {
                        tx.emit(new NewEvent(WebhookFilters.DISABLED, "system", null, null, new JsonObject()
                                .put("webhookId", webhook.id()).put("url", webhook.url())
                                .put("failures", attempt).put("lastError", outcome.error())
                                .put("cursor", webhook.cursor())));
                    }
                }))
                .replaceWith(false);
    }

    /** Exponential: the first retry after {@code first-backoff}, doubling per failure, at most {@code max-backoff}. */
    double backoffSeconds(int failures) {
        double first = seconds(config.firstBackoff());
        double delay = first * Math.pow(2, Math.min(failures - 1, 30));
        return Math.min(delay, seconds(config.maxBackoff()));
    }

    private void prunePeriodically(long webhookId) {
        int count = sinceLastPrune.merge(webhookId, 1, Integer::sum);
        if (count >= PRUNE_EVERY) {
            sinceLastPrune.put(webhookId, 0);
            webhooks.prune(pool, webhookId, config.deliveriesKept()).subscribe().with(
                    pruned -> { }, failure -> Log.debugf("Pruning deliveries failed: %s", failure.getMessage()));
        }
    }

    /** A duration as the SQL statements take it: seconds, with fractions. */
    static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
