package dev.olympus.auth;

import dev.olympus.db.Notifications;
import dev.olympus.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
class CredentialCacheTest {

    @Inject
    Authenticator authenticator;

    @Inject
    CredentialCache cache;

    @Inject
    Pool pool;

    @Inject
    KilledAgents killedAgents;

    @Inject
    Notifications notifications;

    @Inject
    Event<AgentKilled> killed;

    @Test
    void aCachedCredentialCostsNoDatabaseRoundTrip() {
        var worker = Api.agent("worker");
        String token = AccessTokenTest.token(worker.key());
        authenticate(worker.key());
        authenticate(token);
        long before = cache.databaseLookups();
        for (int i = 0; i < 200; i++) {
            authenticate(worker.key());
            authenticate(token);
        }
        // 400 checks; at most a reload of each entry per TTL (1 s) if the loop is slow.
        assertThat(cache.databaseLookups() - before).isLessThanOrEqualTo(4);
    }

    @Test
    void aFloodOfUnknownKeysNeverPushesOutTheKeysOfRealAgents() {
        // A cache of its own on the same database: 50 known keys at most, and a TTL long enough that only eviction
        // (not expiry) could make a key cost a second lookup, however slow the machine.
        CredentialCache small = new CredentialCache(pool, notifications, killed, new AuthConfig() {
            public Duration cacheTtl() {
                return Duration.ofMinutes(10);
            }

            public int cacheMaxEntries() {
                return 50;
            }
        });
        var workers = java.util.stream.IntStream.range(0, 5).mapToObj(i -> Api.agent("worker")).toList();
        workers.forEach(worker -> assertThat(lookUp(small, worker.key())).isPresent());
        long before = small.databaseLookups();

        int invented = CredentialCache.MAX_UNKNOWN + 200;
        for (int i = 0; i < invented; i++) {
            assertThat(lookUp(small, ApiKeys.newKey())).isEmpty();
        }
        assertThat(small.databaseLookups() - before).isEqualTo(invented);

        for (var worker : workers) {
            assertThat(lookUp(small, worker.key())).get().extracting(KeyRecord::agent).isEqualTo(worker.name());
        }
        // Every real agent was still cached: the flood cost one lookup per invented key and nothing more.
        assertThat(small.databaseLookups() - before).isEqualTo(invented);

        // An agent looping on the same wrong key costs one lookup per TTL, not one per request.
        String mistyped = ApiKeys.newKey();
        for (int i = 0; i < 20; i++) {
            assertThat(lookUp(small, mistyped)).isEmpty();
        }
        assertThat(small.databaseLookups() - before).isEqualTo(invented + 1);
    }

    private static java.util.Optional<KeyRecord> lookUp(CredentialCache cache, String key) {
        return cache.byHash(ApiKeys.hash(key)).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void aRevocationWhoseNotificationIsLostStillTakesEffectWithinTheTtl() {
        var worker = Api.agent("worker");
        authenticate(worker.key());
        // Revoked behind the service's back: no pg_notify, so only the TTL can end the cached entry.
        long start = System.nanoTime();
        pool.preparedQuery("UPDATE api_keys SET revoked_at = now() WHERE key_hash = $1")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(ApiKeys.hash(worker.key()))))
                .await().atMost(Duration.ofSeconds(5));
        await().atMost(Duration.ofMillis(1500)).pollInterval(Duration.ofMillis(50))
                .until(() -> Api.as(worker.key()).get("/api/v1/agents/me").statusCode() == 401);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void aNotificationDropsTheCacheAtOnce() {
        var worker = Api.agent("worker");
        authenticate(worker.key());
        pool.withTransaction(conn -> conn.preparedQuery("UPDATE api_keys SET revoked_at = now() WHERE key_hash = $1")
                        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(ApiKeys.hash(worker.key()))))
                        .chain(() -> CredentialCache.notifyChanged(conn, 0)))
                .await().atMost(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> Api.as(worker.key()).get("/api/v1/agents/me").statusCode() == 401);
    }

    @Test
    void aKillLearnedFromAnotherInstanceFiresAgentKilledOnce() {
        var worker = Api.agent("worker");
        authenticate(worker.key());
        // What another instance's kill transaction sends (here without the kill itself: only the notification).
        for (int i = 0; i < 2; i++) {
            pool.preparedQuery("SELECT pg_notify($1, $2)")
                    .execute(Tuple.of(CredentialCache.CHANNEL, "killed:424242:7:" + worker.name()))
                    .await().atMost(Duration.ofSeconds(5));
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> killedAgents.count(worker.name()) == 1);
        pool.preparedQuery("SELECT pg_notify($1, $2)")
                .execute(Tuple.of(CredentialCache.CHANNEL, "killed:424242:8:" + worker.name()))
                .await().atMost(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(2)).until(() -> killedAgents.count(worker.name()) == 2);
    }

    private Caller authenticate(String credential) {
        return authenticator.authenticateCredential(credential).await().atMost(Duration.ofSeconds(5));
    }
}
