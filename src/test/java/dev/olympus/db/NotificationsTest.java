package dev.olympus.db;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
class NotificationsTest {

    @Inject
    Notifications notifications;

    @Inject
    Pool pool;

    @Test
    void deliversNotificationsAndRecoversFromALostConnection() {
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger reconnects = new AtomicInteger();
        notifications.subscribe("olympus_test", received::add);
        notifications.onReconnect(reconnects::incrementAndGet);
        await().atMost(Duration.ofSeconds(10)).until(notifications::listening);

        notify("one");
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("one"));

        // Kill the LISTEN backend: the component must reconnect, re-LISTEN and tell subscribers to catch up.
        pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()")
                .execute().await().atMost(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(15)).until(() -> reconnects.get() >= 1 && notifications.listening());
        notify("two");
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("two"));
        assertThat(received).containsSubsequence("one", "two");
    }

    private void notify(String payload) {
        pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of("olympus_test", payload))
                .await().atMost(Duration.ofSeconds(5));
    }
}
