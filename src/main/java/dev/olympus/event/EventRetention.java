package dev.olympus.event;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Retention: deletes events older than {@code olympus.events.retention}, in batches, and records the highest
 * position it deleted in {@code events_pruned}. A cursor below that mark may have missed events, so readers refuse it
 * (410 / close 4410 {@code cursor-expired}) instead of skipping silently. Deleted positions need not be a prefix
 * of the log: "cursor &lt; highest deleted position" is exactly "something after the cursor is gone". Only positioned
 * events are deleted (an unpositioned one is invisible to readers and waits for the sequencer).
 *
 * <p>Runs on every instance, but each batch takes a transaction-scoped advisory lock with {@code try}: while one
 * instance prunes, the others skip. The DELETE is idempotent anyway.
 */
@ApplicationScoped
public class EventRetention {

    static final long PRUNE_LOCK = 0x4f4c_5950_5255L; // "OLYPRU"
    static final int BATCH = 5_000;

    private static final String PRUNE = """
            WITH lock AS (SELECT pg_try_advisory_xact_lock($1) AS held),
                 doomed AS (SELECT e.id FROM events e, lock
                            WHERE lock.held AND e.at < $2 AND e.position IS NOT NULL ORDER BY e.at LIMIT $3),
                 deleted AS (DELETE FROM events WHERE id IN (SELECT id FROM doomed) RETURNING position),
                 marked AS (UPDATE events_pruned
                            SET through_position = greatest(through_position, (SELECT max(position) FROM deleted))
                            WHERE EXISTS (SELECT 1 FROM deleted) RETURNING through_position)
            SELECT (SELECT held FROM lock) AS held, (SELECT count(*) FROM deleted) AS deleted
            """;

    private final Pool pool;
    private final EventsConfig config;
    private final Clock clock;

    public EventRetention(Pool pool, EventsConfig config) {
        this.pool = pool;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    @Scheduled(identity = "olympus-event-retention", every = "${olympus.events.cleanup-interval}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return prune(clock.instant().minus(config.retention()))
                .invoke(deleted -> {
                    if (deleted > 0) {
                        Log.infof("Retention deleted %d events older than %s", deleted, config.retention());
                    }
                })
                .onFailure().invoke(e -> Log.warnf("Event retention failed: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Deletes the events written before {@code cutoff}; returns how many this instance deleted. */
    public Uni<Long> prune(Instant cutoff) {
        return batch(cutoff, 0);
    }

    private Uni<Long> batch(Instant cutoff, long total) {
        return pool.withTransaction(conn -> conn.preparedQuery(PRUNE)
                        .execute(Tuple.of(PRUNE_LOCK, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC), BATCH)))
                .chain(rows -> {
                    var row = rows.iterator().next();
                    long deleted = row.getLong("deleted");
                    if (!row.getBoolean("held") || deleted < BATCH) {
                        return Uni.createFrom().item(total + deleted);
                    }
                    return batch(cutoff, total + deleted);
                });
    }
}
