package dev.olympus.db;

import dev.olympus.event.NewEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * BEGIN and COMMIT are pipelined with the change's statements: a failure anywhere must still leave nothing behind,
 * and must reach the caller, never a silent rollback reported as success.
 */
@QuarkusTest
class TransactionsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Transactions transactions;

    @Inject
    Pool pool;

    @Test
    void aChangeAndItsEventsCommitTogether() {
        String marker = marker();
        transactions.inTransaction(tx -> insertAgent(tx, marker).invoke(() -> tx.emit(event(marker))))
                .await().atMost(WAIT);
        assertThat(agents(marker)).isEqualTo(1);
        assertThat(events(marker)).isEqualTo(1);
    }

    @Test
    void aFailureInTheChangeRollsEverythingBack() {
        String marker = marker();
        Uni<Object> failing = transactions.inTransaction(tx -> insertAgent(tx, marker)
                .invoke(() -> tx.emit(event(marker)))
                .chain(() -> Uni.createFrom().failure(new IllegalStateException("refused after the insert"))));
        assertThatThrownBy(() -> failing.await().atMost(WAIT)).hasMessageContaining("refused after the insert");
        assertThat(agents(marker)).isZero();
        assertThat(events(marker)).isZero();
        // The connection went back to the pool outside any transaction: the next change commits normally.
        aChangeAndItsEventsCommitTogether();
    }

    @Test
    void aSwallowedDatabaseErrorCannotBecomeASilentRollback() {
        String marker = marker();
        for (boolean withEvent : new boolean[]{true, false}) {
            Uni<Object> swallowing = transactions.inTransaction(tx -> insertAgent(tx, marker)
                    .chain(() -> tx.conn().query("SELECT 1 / 0").execute())
                    .onFailure().recoverWithNull()
                    .invoke(() -> {
                        if (withEvent) {
                            tx.emit(event(marker));
                        }
                    })
                    .replaceWith(new Object()));
            assertThatThrownBy(() -> swallowing.await().atMost(WAIT)).isInstanceOf(PgException.class);
        }
        assertThat(agents(marker)).isZero();
        assertThat(events(marker)).isZero();
    }

    private static Uni<Void> insertAgent(Tx tx, String name) {
        return tx.conn().preparedQuery("INSERT INTO agents (name, role) VALUES ($1, 'worker')")
                .execute(Tuple.of(name)).replaceWithVoid();
    }

    private static NewEvent event(String marker) {
        return NewEvent.agent("agent.created", "admin", marker, new JsonObject());
    }

    private long agents(String name) {
        return pool.preparedQuery("SELECT count(*) FROM agents WHERE name = $1").execute(Tuple.of(name))
                .await().atMost(WAIT).iterator().next().getLong(0);
    }

    private long events(String agent) {
        return pool.preparedQuery("SELECT count(*) FROM events WHERE agent = $1").execute(Tuple.of(agent))
                .await().atMost(WAIT).iterator().next().getLong(0);
    }

    private static String marker() {
        return "tx-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
