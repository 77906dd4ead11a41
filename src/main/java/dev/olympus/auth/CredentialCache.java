package dev.olympus.auth;

import dev.olympus.db.Notifications;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * This instance's memory of verified credentials, so that a credential check costs no database round trip:
 * API key hash → key record, key id → key record (for access tokens), access token → its verified claims.
 *
 * <p>Staleness is bounded twice. Every revocation, kill and revive sends {@code pg_notify('olympus_auth', ...)} in
 * its own transaction; each instance LISTENs and drops every cached key record when one arrives (kills and
 * revocations are rare, so dropping everything is cheaper to reason about than dropping precisely). If a
 * notification is lost, entries still expire {@code olympus.auth.cache-ttl} (1 s) after the query that loaded them
 * was sent, and a reconnect of the LISTEN connection drops everything at once.
 *
 * <p>A load that started before an invalidation is used by the request that asked for it but not stored, so an
 * answer from before a kill can never outlive the kill's notification.
 *
 * <p>Answers that no such key exists are kept apart, in a small map of their own ({@value #MAX_UNKNOWN} entries,
 * emptied when full): a flood of invented keys, each new and each costing one lookup, can only push out other
 * invented keys, never the entries of real agents, and it does not fill the bounded map of known keys.
 *
 * <p>Lookups are by SHA-256 digest: a hash-map lookup is not constant-time, but what its timing could reveal is
 * bits of a digest of a 256-bit random secret, which do not help anyone find the secret (no preimage), so a
 * timing-safe comparison is not needed here. Keys and tokens are never logged.
 */
@ApplicationScoped
public class CredentialCache {

    /** The LISTEN/NOTIFY channel of credential changes. */
    public static final String CHANNEL = "olympus_auth";

    private static final String COLUMNS = """
            SELECT k.id AS key_id, k.revoked_at IS NOT NULL AS revoked, a.id AS agent_id, a.name, a.role,
                   a.state = 'killed' AS killed, a.credential_generation
            FROM api_keys k JOIN agents a ON a.id = k.agent_id
            """;
    private static final String BY_HASH = COLUMNS + " WHERE k.key_hash = $1";
    private static final String BY_ID = COLUMNS + " WHERE k.id = $1";

    /** Remembered "no such key" answers per map: enough for a few agents looping on a revoked or mistyped key. */
    static final int MAX_UNKNOWN = 1000;

    private record Cached(Optional<KeyRecord> record, long loadedAt) {}

    private final Pool pool;
    private final Notifications notifications;
    private final Event<AgentKilled> killed;
    private final long ttlNanos;
    private final int maxEntries;
    private final Map<ByteBuffer, Cached> byHash = new ConcurrentHashMap<>();
    private final Map<String, Cached> byKeyId = new ConcurrentHashMap<>();
    private final Map<ByteBuffer, Cached> unknownHashes = new ConcurrentHashMap<>();
    private final Map<String, Cached> unknownKeyIds = new ConcurrentHashMap<>();
    private final Map<String, AccessTokens.Claims> tokens = new ConcurrentHashMap<>();
    /** Highest credential generation for which {@link AgentKilled} was fired here, per agent id. */
    private final Map<Long, Integer> killsFired = new ConcurrentHashMap<>();
    private final AtomicLong invalidations = new AtomicLong();
    private final AtomicLong databaseLookups = new AtomicLong();

    public CredentialCache(Pool pool, Notifications notifications, Event<AgentKilled> killed, AuthConfig config) {
        this.pool = pool;
        this.notifications = notifications;
        this.killed = killed;
        this.ttlNanos = config.cacheTtl().toNanos();
        this.maxEntries = config.cacheMaxEntries();
    }

    /** Subscribes before {@link Notifications} connects, so that the first LISTEN already includes the channel. */
    void onStart(@Observes @Priority(5) StartupEvent event) {
        notifications.subscribe(CHANNEL, this::onNotification);
        notifications.onReconnect(this::onReconnect);
    }

    Uni<Optional<KeyRecord>> byHash(byte[] hash) {
        return lookup(byHash, unknownHashes, ByteBuffer.wrap(hash), key -> Tuple.of(Buffer.buffer(hash)), BY_HASH);
    }

    Uni<Optional<KeyRecord>> byKeyId(String keyId) {
        return lookup(byKeyId, unknownKeyIds, keyId, Tuple::of, BY_ID);
    }

    AccessTokens.Claims verifiedToken(String token) {
        return tokens.get(token);
    }

    void rememberToken(String token, AccessTokens.Claims claims) {
        if (tokens.size() >= maxEntries) {
            long now = System.currentTimeMillis() / 1000;
            tokens.values().removeIf(c -> c.expiresAt() <= now);
            if (tokens.size() >= maxEntries) {
                tokens.clear();
            }
        }
        tokens.put(token, claims);
    }

    private <K> Uni<Optional<KeyRecord>> lookup(Map<K, Cached> known, Map<K, Cached> unknown, K key,
                                                Function<K, Tuple> params, String sql) {
        long now = System.nanoTime();
        Cached cached = known.get(key);
        if (cached == null) {
            cached = unknown.get(key);
        }
        if (cached != null && now - cached.loadedAt() < ttlNanos) {
            return Uni.createFrom().item(cached.record());
        }
        long epoch = invalidations.get();
        databaseLookups.incrementAndGet();
        return pool.preparedQuery(sql).execute(params.apply(key)).map(rows -> {
            Optional<KeyRecord> record = first(rows);
            // Stored only if nothing was invalidated meanwhile: this answer may predate a kill.
            if (invalidations.get() == epoch) {
                if (record.isPresent()) {
                    if (known.size() >= maxEntries) {
                        sweep(known);
                    }
                    known.put(key, new Cached(record, now));
                    unknown.remove(key);
                } else {
                    if (unknown.size() >= MAX_UNKNOWN) {
                        unknown.clear();
                    }
                    unknown.put(key, new Cached(record, now));
                    known.remove(key);
                }
            }
            return record;
        });
    }

    private <K> void sweep(Map<K, Cached> map) {
        long now = System.nanoTime();
        map.values().removeIf(c -> now - c.loadedAt() >= ttlNanos);
        if (map.size() >= maxEntries) {
            map.clear();
        }
    }

    /** Drops every cached key record: the next check of each credential reads the database. */
    public void invalidate() {
        invalidations.incrementAndGet();
        byHash.clear();
        byKeyId.clear();
        unknownHashes.clear();
        unknownKeyIds.clear();
    }

    /**
     * Called on the instance that committed a kill, right after the commit: its own cache must not wait for the
     * notification, and its WebSocket sessions close at once.
     */
    public void killedHere(long agentId, String agent, int generation) {
        invalidate();
        fireKilled(agentId, agent, generation);
    }

    /** Tells every instance, in the transaction {@code client} runs, that the credentials of an agent changed. */
    public static Uni<Void> notifyChanged(SqlClient client, long agentId) {
        return notify(client, "changed:" + agentId);
    }

    /** Tells every instance, in the kill's transaction, that an agent was killed. */
    public static Uni<Void> notifyKilled(SqlClient client, long agentId, String agent, int generation) {
        return notify(client, "killed:" + agentId + ":" + generation + ":" + agent);
    }

    private static Uni<Void> notify(SqlClient client, String payload) {
        return client.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(CHANNEL, payload)).replaceWithVoid();
    }

    private void onNotification(String payload) {
        invalidate();
        if (payload != null && payload.startsWith("killed:")) {
            String[] parts = payload.split(":", 4);
            try {
                fireKilled(Long.parseLong(parts[1]), parts[3], Integer.parseInt(parts[2]));
            } catch (RuntimeException e) {
                Log.warnf("Ignoring a malformed %s notification", CHANNEL);
            }
        }
    }

    /** Notifications may have been lost: forget everything, and tell observers about kills they may have missed. */
    private void onReconnect() {
        invalidate();
        pool.query("SELECT id, name, credential_generation FROM agents WHERE state = 'killed'").execute()
                .subscribe().with(rows -> rows.forEach(row -> fireKilled(row.getLong("id"), row.getString("name"),
                                row.getInteger("credential_generation"))),
                        failure -> Log.warnf("Could not re-read killed agents after a reconnect: %s", failure.getMessage()));
    }

    /** Fires {@link AgentKilled} once per kill on this instance, however the kill was learned. */
    private void fireKilled(long agentId, String agent, int generation) {
        boolean[] first = {false};
        killsFired.compute(agentId, (id, previous) -> {
            first[0] = previous == null || previous < generation;
            return first[0] ? Integer.valueOf(generation) : previous;
        });
        if (!first[0]) {
            return;
        }
        try {
            killed.fire(new AgentKilled(agent));
        } catch (RuntimeException e) {
            Log.errorf(e, "An observer of AgentKilled(%s) failed", agent);
        }
    }

    private static Optional<KeyRecord> first(RowSet<Row> rows) {
        if (rows.rowCount() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new KeyRecord(row.getString("key_id"), row.getBoolean("revoked"), row.getLong("agent_id"),
                row.getString("name"), Role.fromWire(row.getString("role")), row.getBoolean("killed"),
                row.getInteger("credential_generation")));
    }

    /** Forgets verified tokens too (measurements); they are facts that never change, so nothing else needs this. */
    void forgetTokens() {
        tokens.clear();
    }

    /** Database lookups made so far (tests: a cached credential costs none). */
    public long databaseLookups() {
        return databaseLookups.get();
    }
}
