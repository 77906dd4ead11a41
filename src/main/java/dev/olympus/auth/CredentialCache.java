package dev.olympus.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
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
import java.time.Duration;
import java.time.Instant;
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
 * <p>Answers that no such key exists are kept apart, in a small cache of their own ({@value #MAX_UNKNOWN} entries):
 * a flood of invented keys, each new and each costing one lookup, can only push out other invented keys, never the
 * entries of real agents, and it does not fill the bounded cache of known keys.
 *
 * <p>The caches are plain Caffeine caches rather than {@code quarkus-cache}: that extension's {@code @CacheResult}
 * stores whatever the method returns under one name, and this class needs what it cannot express: a negative answer
 * in a different (smaller) cache, an expiry counted from when the query was sent, and "do not store a load that an
 * invalidation overtook". Caffeine's maintenance runs on the calling thread (no pool thread, no surprise in tests).
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

    /** A database answer and when its query was sent ({@link System#nanoTime()}): it expires a TTL after that. */
    private record Cached(Optional<KeyRecord> record, long loadedAt) {}

    private final Pool pool;
    private final Notifications notifications;
    private final Event<AgentKilled> killed;
    private final Cache<ByteBuffer, Cached> byHash;
    private final Cache<String, Cached> byKeyId;
    private final Cache<ByteBuffer, Cached> unknownHashes;
    private final Cache<String, Cached> unknownKeyIds;
    /** Verified tokens: facts that never change, kept until the token expires (plus the accepted clock skew). */
    private final Cache<String, AccessTokens.Claims> tokens;
    /** Highest credential generation for which {@link AgentKilled} was fired here, per agent id. */
    private final Map<Long, Integer> killsFired = new ConcurrentHashMap<>();
    private final AtomicLong invalidations = new AtomicLong();
    private final AtomicLong databaseLookups = new AtomicLong();

    public CredentialCache(Pool pool, Notifications notifications, Event<AgentKilled> killed, AuthConfig config) {
        this.pool = pool;
        this.notifications = notifications;
        this.killed = killed;
        long ttlNanos = config.cacheTtl().toNanos();
        this.byHash = answers(ttlNanos, config.cacheMaxEntries());
        this.byKeyId = answers(ttlNanos, config.cacheMaxEntries());
        this.unknownHashes = answers(ttlNanos, MAX_UNKNOWN);
        this.unknownKeyIds = answers(ttlNanos, MAX_UNKNOWN);
        this.tokens = Caffeine.newBuilder().maximumSize(config.cacheMaxEntries()).executor(Runnable::run)
                .expireAfter(Expiry.<String, AccessTokens.Claims>creating((token, claims) -> Duration.ofSeconds(
                        Math.max(0, claims.expiresAt() + AccessTokens.CLOCK_SKEW_SECONDS - Instant.now().getEpochSecond()))))
                .build();
    }

    private static <K> Cache<K, Cached> answers(long ttlNanos, int maxEntries) {
        // Counted from when the query was sent, not from when its answer was stored: a slow query cannot stretch the TTL.
        return Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run)
                .expireAfter(Expiry.<K, Cached>creating((key, cached) ->
                        Duration.ofNanos(Math.max(0, ttlNanos - (System.nanoTime() - cached.loadedAt())))))
                .build();
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
        return tokens.getIfPresent(token);
    }

    void rememberToken(String token, AccessTokens.Claims claims) {
        tokens.put(token, claims);
    }

    private <K> Uni<Optional<KeyRecord>> lookup(Cache<K, Cached> known, Cache<K, Cached> unknown, K key,
                                                Function<K, Tuple> params, String sql) {
        Cached cached = known.getIfPresent(key);
        if (cached == null) {
            cached = unknown.getIfPresent(key);
        }
        if (cached != null) {
            return Uni.createFrom().item(cached.record());
        }
        long now = System.nanoTime();
        long epoch = invalidations.get();
        databaseLookups.incrementAndGet();
        return pool.preparedQuery(sql).execute(params.apply(key)).map(rows -> {
            Optional<KeyRecord> record = first(rows);
            // Stored only if nothing was invalidated meanwhile: this answer may predate a kill.
            if (invalidations.get() == epoch) {
                (record.isPresent() ? known : unknown).put(key, new Cached(record, now));
                (record.isPresent() ? unknown : known).invalidate(key);
            }
            return record;
        });
    }

    /** Drops every cached key record: the next check of each credential reads the database. */
    public void invalidate() {
        invalidations.incrementAndGet();
        byHash.invalidateAll();
        byKeyId.invalidateAll();
        unknownHashes.invalidateAll();
        unknownKeyIds.invalidateAll();
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
        tokens.invalidateAll();
    }

    /** Database lookups made so far (tests: a cached credential costs none). */
    public long databaseLookups() {
        return databaseLookups.get();
    }
}
