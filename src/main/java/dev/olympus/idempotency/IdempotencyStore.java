package dev.olympus.idempotency;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;

/** SQL for {@code idempotency_keys}: claim a key, store or release its answer, read it back, expire it. */
@ApplicationScoped
public class IdempotencyStore {

    /** What {@link #claim} found. */
    sealed interface Claim permits Owned, Existing, Gone {}

    /** This request holds the key: it runs, and its answer is stored under {@code owner}. */
    record Owned(long agentId, String key, UUID owner) implements Claim {}

    /** Another request holds the key: its fingerprint, and its answer once it has one. */
    record Existing(byte[] fingerprint, StoredResponse response) implements Claim {
        boolean sameRequest(byte[] other) {
            return Arrays.equals(fingerprint, other);
        }
    }

    /** The holder released the key between our two statements: try again. */
    record Gone() implements Claim {}

    // Takes the key when it is new, expired (older than the ttl) or abandoned (pending longer than abandonAfter).
    private static final String CLAIM = """
            INSERT INTO idempotency_keys (agent_id, key, fingerprint, state, owner)
            VALUES ($1, $2, $3, 'pending', $4)
            ON CONFLICT (agent_id, key) DO UPDATE
                SET fingerprint = EXCLUDED.fingerprint, state = 'pending', owner = EXCLUDED.owner, status = NULL,
                    headers = NULL, body = NULL, created_at = now(), completed_at = NULL
                WHERE idempotency_keys.created_at < now() - make_interval(secs => $5)
                   OR (idempotency_keys.state = 'pending'
                       AND idempotency_keys.created_at < now() - make_interval(secs => $6))
            RETURNING owner
            """;

    private final Pool pool;
    private final IdempotencyConfig config;

    public IdempotencyStore(Pool pool, IdempotencyConfig config) {
        this.pool = pool;
        this.config = config;
    }

    Uni<Claim> claim(long agentId, String key, byte[] fingerprint) {
        UUID owner = UUID.randomUUID();
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(agentId, key, Buffer.buffer(fingerprint), owner, seconds(config.ttl()),
                        seconds(config.abandonAfter())))
                .chain(rows -> rows.rowCount() == 1
                        ? Uni.createFrom().item((Claim) new Owned(agentId, key, owner))
                        : find(agentId, key));
    }

    private Uni<Claim> find(long agentId, String key) {
        return pool.preparedQuery("""
                        SELECT fingerprint, state, status, headers, body FROM idempotency_keys
                        WHERE agent_id = $1 AND key = $2
                        """)
                .execute(Tuple.of(agentId, key))
                .map(rows -> rows.rowCount() == 0 ? new Gone() : existing(rows.iterator().next()));
    }

    private static Claim existing(Row row) {
        byte[] fingerprint = row.getBuffer("fingerprint").getBytes();
        if (!"done".equals(row.getString("state"))) {
            return new Existing(fingerprint, null);
        }
        JsonObject headers = row.getJsonObject("headers");
        io.vertx.mutiny.core.buffer.Buffer body = row.getBuffer("body");
        return new Existing(fingerprint, new StoredResponse(row.getInteger("status"),
                headers == null ? null : headers.getString("contentType"),
                headers == null ? null : headers.getString("location"),
                headers == null ? null : headers.getString("etag"),
                body == null ? null : body.getBytes()));
    }

    Uni<Void> complete(Owned owned, StoredResponse response) {
        JsonObject headers = new JsonObject()
                .put("contentType", response.contentType())
                .put("location", response.location())
                .put("etag", response.etag());
        return pool.preparedQuery("""
                        UPDATE idempotency_keys SET state = 'done', status = $4, headers = $5, body = $6, completed_at = now()
                        WHERE agent_id = $1 AND key = $2 AND owner = $3
                        """)
                .execute(Tuple.from(new Object[]{owned.agentId(), owned.key(), owned.owner(), response.status(), headers,
                        response.body() == null ? null : Buffer.buffer(response.body())}))
                .replaceWithVoid();
    }

    /** The first request did nothing worth replaying (e.g. 429, 5xx): the next one with the key runs again. */
    Uni<Void> release(Owned owned) {
        return pool.preparedQuery("DELETE FROM idempotency_keys WHERE agent_id = $1 AND key = $2 AND owner = $3 AND state = 'pending'")
                .execute(Tuple.of(owned.agentId(), owned.key(), owned.owner()))
                .replaceWithVoid();
    }

    /** Deletes the keys older than the ttl; returns how many. */
    public Uni<Integer> purgeExpired() {
        return pool.preparedQuery("DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of(seconds(config.ttl())))
                .map(rows -> rows.rowCount());
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
