package dev.olympus.webhook;

import dev.olympus.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Every statement on {@code webhooks} and {@code webhook_deliveries}: the tables are written from here only. */
@ApplicationScoped
public class WebhookRepository {

    static final String COLUMNS = """
            id, url, types, assignee, label, description, state, cursor, failures, last_error, last_delivered_at,
            next_attempt_at, previous_secret_until, created_by, version, created_at""";

    /** A webhook claimed for delivery: what the deliverer needs, including the keys and its lease epoch. */
    record Claimed(long id, String url, List<String> types, String assignee, String label, long from,
                   long cursor, int failures, java.time.Instant failingSince, long leaseEpoch, byte[] secret,
                   byte[] previousSecret) {}

    Uni<Webhook> insert(SqlClient client, WebhookRequests.Create request, List<String> types, long after,
                        byte[] key, String createdBy) {
        return client.preparedQuery("""
                        INSERT INTO webhooks (url, types, assignee, label, description, cursor, scanned_through, secret, created_by)
                        VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8) RETURNING\s""" + COLUMNS)
                .execute(Tuple.from(Arrays.asList(request.url(), types.toArray(String[]::new), request.assignee(),
                        request.label(), request.description(), after, io.vertx.core.buffer.Buffer.buffer(key), createdBy)))
                .map(WebhookRepository::first);
    }

    Uni<Webhook> find(SqlClient client, long id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM webhooks WHERE id = $1").execute(Tuple.of(id))
                .map(WebhookRepository::first);
    }

    Uni<List<Webhook>> list(SqlClient client, long afterId, int limit) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM webhooks WHERE id > $1 ORDER BY id LIMIT $2")
                .execute(Tuple.of(afterId, limit))
                .map(WebhookRepository::all);
    }

    /**
     * Changes the state (and, when resuming, forgets the failure streak). Every change that affects delivery moves the
     * lease epoch on and drops the lease, so an attempt in flight cannot write its outcome over the change.
     */
    Uni<Webhook> setState(SqlClient client, long id, String state, Long expectedVersion) {
        return client.preparedQuery("""
                        UPDATE webhooks SET state = $2,
                            failures = CASE WHEN $2 = 'active' AND state <> 'active' THEN 0 ELSE failures END,
                            failing_since = CASE WHEN $2 = 'active' AND state <> 'active' THEN NULL ELSE failing_since END,
                            next_attempt_at = now(), lease_expires_at = NULL, lease_epoch = lease_epoch + 1,
                            version = version + 1, updated_at = now()
                        WHERE id = $1 AND ($3::bigint IS NULL OR version = $3) RETURNING\s""" + COLUMNS)
                .execute(Tuple.of(id, state, expectedVersion))
                .map(WebhookRepository::first);
    }

    Uni<Webhook> replay(SqlClient client, long id, long after) {
        return client.preparedQuery("""
                        UPDATE webhooks SET cursor = $2, scanned_through = $2, failures = 0, failing_since = NULL,
                            next_attempt_at = now(), lease_expires_at = NULL, lease_epoch = lease_epoch + 1,
                            version = version + 1, updated_at = now()
                        WHERE id = $1 RETURNING\s""" + COLUMNS)
                .execute(Tuple.of(id, after))
                .map(WebhookRepository::first);
    }

    /** The new key signs from now on; the current one keeps signing in parallel until {@code overlapSeconds} from now. */
    Uni<Webhook> rotate(SqlClient client, long id, byte[] key, double overlapSeconds) {
        return client.preparedQuery("""
                        UPDATE webhooks SET previous_secret = secret, secret = $2,
                            previous_secret_until = now() + make_interval(secs => $3),
                            version = version + 1, updated_at = now()
                        WHERE id = $1 RETURNING\s""" + COLUMNS)
                .execute(Tuple.of(id, io.vertx.core.buffer.Buffer.buffer(key), overlapSeconds))
                .map(WebhookRepository::first);
    }

    Uni<Boolean> delete(SqlClient client, long id) {
        return client.preparedQuery("DELETE FROM webhooks WHERE id = $1").execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
    }

    Uni<List<WebhookDelivery>> deliveries(SqlClient client, long webhookId, long beforeId, int limit) {
        return client.preparedQuery("""
                        SELECT id, event_id, attempt, status, duration_ms, error, at FROM webhook_deliveries
                        WHERE webhook_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3""")
                .execute(Tuple.of(webhookId, beforeId, limit))
                .map(rows -> {
                    List<WebhookDelivery> items = new ArrayList<>();
                    rows.forEach(row -> items.add(new WebhookDelivery(row.getLong("event_id"), row.getInteger("attempt"),
                            row.getInteger("status"), row.getInteger("duration_ms"), row.getString("error"),
                            Rows.instant(row, "at"))));
                    return items;
                });
    }

    /** The id of the delivery row {@code offset} places from the newest (the list's keyset cursor). */
    Uni<Long> deliveryIdAt(SqlClient client, long webhookId, long beforeId, int offset) {
        return client.preparedQuery("""
                        SELECT id FROM webhook_deliveries WHERE webhook_id = $1 AND id < $2 ORDER BY id DESC OFFSET $3 LIMIT 1""")
                .execute(Tuple.of(webhookId, beforeId, offset))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getLong("id"));
    }

    // ---- delivery ----

    /**
     * Takes up to {@code limit} active, due webhooks whose cursor is behind {@code head} and whose lease is free
     * (never held, released, or expired: its holder died), with a new lease and lease epoch. SKIP LOCKED: instances
     * claiming at once never wait for each other and never take the same webhook.
     */
    Uni<List<Claimed>> claim(SqlClient client, long head, double leaseSeconds, int limit) {
        return client.preparedQuery("""
                        WITH due AS (
                            SELECT id FROM webhooks
                            WHERE state = 'active' AND next_attempt_at <= now()
                              AND greatest(cursor, scanned_through) < $1
                              AND (lease_expires_at IS NULL OR lease_expires_at < now())
                            ORDER BY next_attempt_at LIMIT $3
                            FOR NO KEY UPDATE SKIP LOCKED)
                        UPDATE webhooks w SET lease_expires_at = now() + make_interval(secs => $2), lease_epoch = w.lease_epoch + 1
                        FROM due WHERE w.id = due.id
                        RETURNING w.id, w.url, w.types, w.assignee, w.label, w.cursor, w.scanned_through, w.failures,
                                  w.failing_since, w.lease_epoch, w.secret,
                                  CASE WHEN w.previous_secret_until > now() THEN w.previous_secret END AS previous_secret""")
                .execute(Tuple.of(head, leaseSeconds, limit))
                .map(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    for (Row row : rows) {
                        Buffer previous = row.getBuffer("previous_secret");
                        long cursor = row.getLong("cursor");
                        claimed.add(new Claimed(row.getLong("id"), row.getString("url"), Rows.strings(row, "types"),
                                row.getString("assignee"), row.getString("label"),
                                Math.max(cursor, row.getLong("scanned_through")), cursor, row.getInteger("failures"),
                                Rows.instant(row, "failing_since"), row.getLong("lease_epoch"),
                                row.getBuffer("secret").getBytes(), previous == null ? null : previous.getBytes()));
                    }
                    return claimed;
                });
    }

    /** Nothing (more) to deliver up to {@code scanned}: remember it and free the lease. False: the lease was lost. */
    Uni<Boolean> release(SqlClient client, long id, long leaseEpoch, long scanned) {
        return client.preparedQuery("""
                        UPDATE webhooks SET scanned_through = greatest(scanned_through, $3), lease_expires_at = NULL
                        WHERE id = $1 AND lease_epoch = $2""")
                .execute(Tuple.of(id, leaseEpoch, scanned))
                .map(rows -> rows.rowCount() > 0);
    }

    /** A 2xx: the cursor moves to the event, the streak ends, the lease is renewed, the attempt is logged. */
    Uni<Boolean> delivered(SqlClient client, long id, long leaseEpoch, long eventId, double leaseSeconds, Attempt attempt) {
        return client.preparedQuery("""
                        WITH w AS (
                            UPDATE webhooks SET cursor = $3, scanned_through = greatest(scanned_through, $3), failures = 0,
                                failing_since = NULL, last_error = NULL, last_delivered_at = now(),
                                lease_expires_at = now() + make_interval(secs => $4)
                            WHERE id = $1 AND lease_epoch = $2 RETURNING id)
                        INSERT INTO webhook_deliveries (webhook_id, event_id, attempt, status, duration_ms, error)
                        SELECT id, $3, $5, $6, $7, NULL FROM w RETURNING id""")
                .execute(Tuple.from(Arrays.asList(id, leaseEpoch, eventId, leaseSeconds, attempt.number(), attempt.status(),
                        attempt.durationMs())))
                .map(rows -> rows.rowCount() > 0);
    }

    /**
     * A failure: the streak grows, the next attempt waits {@code backoffSeconds}, the lease is freed; when the streak
     * is older than {@code disableAfterSeconds} the webhook becomes disabled. Returns the new state, or null when
     * the lease was lost.
     */
    Uni<String> failed(SqlClient client, long id, long leaseEpoch, long eventId, double backoffSeconds,
                       double disableAfterSeconds, Attempt attempt) {
        return client.preparedQuery("""
                        WITH w AS (
                            UPDATE webhooks SET failures = failures + 1, failing_since = coalesce(failing_since, now()),
                                last_error = $8, next_attempt_at = now() + make_interval(secs => $4),
                                lease_expires_at = NULL,
                                state = CASE WHEN coalesce(failing_since, now()) <= now() - make_interval(secs => $5)
                                             THEN 'disabled' ELSE state END,
                                version = CASE WHEN coalesce(failing_since, now()) <= now() - make_interval(secs => $5)
                                               THEN version + 1 ELSE version END
                            WHERE id = $1 AND lease_epoch = $2 RETURNING id, state),
                        logged AS (
                            INSERT INTO webhook_deliveries (webhook_id, event_id, attempt, status, duration_ms, error)
                            SELECT id, $3, $6, $7, $9, $8 FROM w)
                        SELECT state FROM w""")
                .execute(Tuple.from(Arrays.asList(id, leaseEpoch, eventId, backoffSeconds, disableAfterSeconds,
                        attempt.number(), attempt.status(), attempt.error(), attempt.durationMs())))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getString("state"));
    }

    /** Keeps the newest {@code keep} attempts of a webhook. */
    Uni<Void> prune(SqlClient client, long webhookId, int keep) {
        return client.preparedQuery("""
                        DELETE FROM webhook_deliveries WHERE webhook_id = $1 AND id <= (
                            SELECT id FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)""")
                .execute(Tuple.of(webhookId, keep))
                .replaceWithVoid();
    }

    /** The current labels of tasks, for the label filter of events that carry no task snapshot. */
    Uni<java.util.Map<Long, List<String>>> taskLabels(SqlClient client, List<Long> taskIds) {
        return client.preparedQuery("SELECT id, labels FROM tasks WHERE id = ANY($1)")
                .execute(Tuple.of(taskIds.toArray(Long[]::new)))
                .map(rows -> {
                    java.util.Map<Long, List<String>> labels = new java.util.HashMap<>();
                    rows.forEach(row -> labels.put(row.getLong("id"), Rows.strings(row, "labels")));
                    return labels;
                });
    }

    /** One attempt's outcome, for the log. */
    record Attempt(int number, Integer status, long durationMs, String error) {}

    private static Webhook first(RowSet<Row> rows) {
        return rows.rowCount() == 0 ? null : toWebhook(rows.iterator().next());
    }

    private static List<Webhook> all(RowSet<Row> rows) {
        List<Webhook> items = new ArrayList<>();
        rows.forEach(row -> items.add(toWebhook(row)));
        return items;
    }

    private static Webhook toWebhook(Row row) {
        return new Webhook(row.getLong("id"), row.getString("url"), Rows.strings(row, "types"), row.getString("assignee"),
                row.getString("label"), row.getString("description"), row.getString("state"), row.getLong("cursor"),
                row.getInteger("failures"), row.getString("last_error"), Rows.instant(row, "last_delivered_at"),
                Rows.instant(row, "next_attempt_at"), Rows.instant(row, "previous_secret_until"),
                row.getString("created_by"), row.getLong("version"), Rows.instant(row, "created_at"));
    }
}
