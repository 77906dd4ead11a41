package dev.olympus.event;

import dev.olympus.testing.TimeTravel;
import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.EventClient;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.olympus.event.EventSocketTest.baseUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

/**
 * Retention deletes old events and a cursor it passed is refused, never silently continued. The test ages two
 * events of its own by 40 days; the rest of the shared database is younger than the 30-day retention and stays.
 */
@QuarkusTest
class EventRetentionTest {

    @Inject
    EventRetention retention;

    @Inject
    Pool pool;

    @Test
    void oldEventsAreDeletedAndACursorBeforeThemIsExpired() {
        TestAgent first = Api.agent("observer");
        TestAgent second = Api.agent("observer");
        long oldest = agentCreated(first);
        long old = agentCreated(second);
        TimeTravel.backdate(pool, "events", "at", Duration.ofDays(40), "position = ANY($1)", (Object) new Long[]{oldest, old});
        TestAgent recent = Api.agent("observer");

        long deleted = retention.prune(Instant.now().minus(Duration.ofDays(30))).await().atMost(Duration.ofSeconds(10));
        assertThat(deleted).isEqualTo(2);
        assertThat(count(oldest, old)).isZero();
        assertThat(agentCreated(recent)).isGreaterThan(old);

        // Polling: 410 with the oldest valid cursor, which itself works.
        recent.request().get("/api/v1/events?after=" + (old - 1)).then().statusCode(410)
                .body("code", is("cursor-expired")).body("oldestCursor", is((int) old));
        recent.request().get("/api/v1/events?after=" + old).then().statusCode(200);
        recent.request().get("/api/v1/events").then().statusCode(200);

        // WebSocket: closed with 4410 and the same hint.
        try (EventClient client = EventClient.connect(baseUrl(), recent.key(), "after=" + oldest)) {
            await().atMost(Duration.ofSeconds(10)).until(client::isClosed);
            assertThat(client.closeCode()).isEqualTo(EventStream.CLOSE_CURSOR_EXPIRED);
            assertThat(client.closeReason()).contains("cursor-expired").endsWith("the oldest valid cursor is " + old);
            assertThat(client.count()).isZero();
        }

        // Idempotent: nothing more to delete.
        assertThat(retention.prune(Instant.now().minus(Duration.ofDays(30))).await().atMost(Duration.ofSeconds(10))).isZero();
    }

    private long agentCreated(TestAgent agent) {
        return pool.preparedQuery("SELECT position FROM events WHERE type = 'agent.created' AND agent = $1")
                .execute(Tuple.of(agent.name())).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }

    private long count(long... positions) {
        Long[] boxed = java.util.Arrays.stream(positions).boxed().toArray(Long[]::new);
        return pool.preparedQuery("SELECT count(*) FROM events WHERE position = ANY($1)").execute(Tuple.of(boxed))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }
}
