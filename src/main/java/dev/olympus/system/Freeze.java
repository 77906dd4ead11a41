package dev.olympus.system;

import dev.olympus.auth.AuthConfig;
import dev.olympus.auth.Caller;
import dev.olympus.auth.Role;
import dev.olympus.db.Notifications;
import dev.olympus.db.Rows;
import dev.olympus.db.Transactions;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import dev.olympus.web.ProblemException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The system freeze: one row in {@code system_state}, shared by every instance. Each instance keeps the state in
 * memory so that the check on every write costs no database round trip; a freeze or unfreeze sends
 * {@code pg_notify('olympus_system')} in its transaction, which drops the copy everywhere, and the copy is never
 * older than {@code olympus.auth.cache-ttl} (1 s) in case a notification is lost.
 */
@ApplicationScoped
public class Freeze {

    public static final String CHANNEL = "olympus_system";

    private static final String COLUMNS = "frozen, reason, frozen_at, frozen_by";

    private record Cached(SystemState state, long loadedAt) {}

    private final Transactions transactions;
    private final Notifications notifications;
    private final long ttlNanos;
    private final AtomicLong invalidations = new AtomicLong();
    private volatile Cached cached;

    public Freeze(Transactions transactions, Notifications notifications, AuthConfig config) {
        this.transactions = transactions;
        this.notifications = notifications;
        this.ttlNanos = config.cacheTtl().toNanos();
    }

    void onStart(@Observes @Priority(5) StartupEvent event) {
        notifications.subscribe(CHANNEL, payload -> invalidate());
        notifications.onReconnect(this::invalidate);
    }

    /** The state as this instance knows it: from memory when fresh, else read (and remembered). */
    public Uni<SystemState> current() {
        long now = System.nanoTime();
        Cached copy = cached;
        if (copy != null && now - copy.loadedAt() < ttlNanos) {
            return Uni.createFrom().item(copy.state());
        }
        long epoch = invalidations.get();
        return read(transactions.pool()).invoke(state -> {
            if (invalidations.get() == epoch) {
                cached = new Cached(state, now);
            }
        });
    }

    public Uni<SystemState> freeze(Caller caller, String reason) {
        requireOperator(caller);
        return change(caller, """
                UPDATE system_state SET frozen = true, reason = $1, frozen_at = now(), frozen_by = $2
                WHERE id = 1 AND NOT frozen RETURNING\s""" + COLUMNS, Tuple.of(reason, caller.name()), EventType.SYSTEM_FROZEN);
    }

    public Uni<SystemState> unfreeze(Caller caller) {
        requireOperator(caller);
        return change(caller, """
                UPDATE system_state SET frozen = false, reason = NULL, frozen_at = NULL, frozen_by = NULL
                WHERE id = 1 AND frozen RETURNING\s""" + COLUMNS, Tuple.tuple(), EventType.SYSTEM_UNFROZEN);
    }

    /** Freezing a frozen system (or unfreezing a thawed one) changes nothing: 200 with the state, no event. */
    private Uni<SystemState> change(Caller caller, String update, Tuple params, String eventType) {
        return transactions.inTransaction(tx -> tx.conn().preparedQuery(update).execute(params).chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return read(tx.conn());
                    }
                    SystemState state = toState(rows.iterator().next());
                    JsonObject data = new JsonObject().put("reason", state.frozen() ? state.reason() : null);
                    tx.emit(new NewEvent(eventType, caller.name(), null, null, data));
                    return tx.conn().preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(CHANNEL, eventType))
                            .replaceWith(state);
                }))
                .invoke(state -> invalidate());
    }

    private void invalidate() {
        invalidations.incrementAndGet();
        cached = null;
    }

    private static Uni<SystemState> read(SqlClient client) {
        return client.query("SELECT " + COLUMNS + " FROM system_state WHERE id = 1").execute().map(Freeze::first);
    }

    private static SystemState first(RowSet<Row> rows) {
        return toState(rows.iterator().next());
    }

    private static SystemState toState(Row row) {
        return new SystemState(row.getBoolean("frozen"), row.getString("reason"), Rows.instant(row, "frozen_at"),
                row.getString("frozen_by"));
    }

    private static void requireOperator(Caller caller) {
        if (!caller.is(Role.OPERATOR)) {
            throw ProblemException.forbidden("Only operators freeze and unfreeze the system.");
        }
    }
}
