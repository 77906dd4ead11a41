package dev.olympus.event;

import dev.olympus.db.Transactions;
import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.EventClient;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.olympus.event.EventSocketTest.baseUrl;
import static dev.olympus.event.EventSocketTest.head;
import static dev.olympus.event.EventSocketTest.polledIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The known trap of sequence-based cursors: ids are drawn in one order and committed in another, and a reader that
 * saw the later id first would skip the earlier one for ever. These tests interleave two event-writing transactions
 * by hand, through the service, and show that a subscriber gets both, in stream (position) order, with nothing
 * skipped, and that an open transaction holds nobody back. ({@code EventOrderingTest} does the same at the SQL level
 * with a reader between every step; {@code EventOrderingProperties} over random interleavings.)
 */
@QuarkusTest
class EventCommitOrderTest {

    @Inject
    Transactions transactions;

    @Inject
    EventLog eventLog;

    @Inject
    EventSequencer sequencer;

    @Inject
    Pool pool;

    @Test
    void aTransactionThatStartedFirstButCommitsLastIsNotSkipped() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long taskA = Api.task(orchestrator, "task of A", worker.name());
        long taskB = Api.task(orchestrator, "task of B", worker.name());
        long start = head();
        try (EventClient subscriber = EventClient.connect(baseUrl(), orchestrator.key(), "after=" + start + "&assignee=" + worker.name())) {
            // A starts and changes its task, but has not appended its events: it waits for the test.
            CompletableFuture<Void> aChanged = new CompletableFuture<>();
            CompletableFuture<Void> releaseA = new CompletableFuture<>();
            CompletableFuture<Void> aCommitted = transactions.inTransaction(tx -> rename(tx.conn(), taskA, "changed by A")
                    .invoke(() -> tx.emit(NewEvent.task("task.updated", orchestrator.name(), taskA, marker("A", worker))))
                    .invoke(() -> aChanged.complete(null))
                    .chain(() -> Uni.createFrom().completionStage(releaseA))).subscribeAsCompletionStage();
            aChanged.orTimeout(10, TimeUnit.SECONDS).join();

            // B does the same and commits while A is still open.
            transactions.inTransaction(tx -> rename(tx.conn(), taskB, "changed by B")
                    .invoke(() -> tx.emit(NewEvent.task("task.updated", orchestrator.name(), taskB, marker("B", worker)))))
                    .await().atMost(Duration.ofSeconds(10));
            // B is streamed at once: an open transaction holds nothing back.
            await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.count() == 1);
            assertThat(aCommitted).isNotDone();

            // Then A commits.
            releaseA.complete(null);
            aCommitted.orTimeout(10, TimeUnit.SECONDS).join();
            await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.count() == 2);
            assertThat(subscriber.events()).extracting(e -> e.get("data").get("marker").asText()).containsExactly("B", "A");
            assertThat(subscriber.ids()).isSorted().doesNotHaveDuplicates();
            assertThat(polledIds(orchestrator, start, "assignee=" + worker.name())).isEqualTo(subscriber.ids());
        }
    }

    @Test
    void anAppendedButUncommittedEventHoldsNothingBackAndIsStreamedAfterItCommits() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long task = Api.task(orchestrator, "contended", worker.name());
        long start = head();
        try (EventClient subscriber = EventClient.connect(baseUrl(), orchestrator.key(), "after=" + start + "&assignee=" + worker.name())) {
            // A has appended (drawn the lower id) but not committed.
            CompletableFuture<Void> aAppended = new CompletableFuture<>();
            CompletableFuture<Void> releaseA = new CompletableFuture<>();
            CompletableFuture<Integer> aCommitted = pool.withTransaction(conn -> eventLog
                    .append(conn, List.of(NewEvent.task("task.updated", orchestrator.name(), task, marker("A", worker))))
                    .invoke(() -> aAppended.complete(null))
                    .call(() -> Uni.createFrom().completionStage(releaseA))).subscribeAsCompletionStage();
            aAppended.orTimeout(10, TimeUnit.SECONDS).join();

            // B appends later (a higher id) and commits at once: nothing waits for A.
            transactions.inTransaction(tx -> {
                tx.emit(NewEvent.task("task.updated", orchestrator.name(), task, marker("B", worker)));
                return Uni.createFrom().item((Object) "B");
            }).await().atMost(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.count() == 1);

            // A commits; its writer asks for positions, as Transactions does: A comes next, right after B.
            releaseA.complete(null);
            aCommitted.orTimeout(10, TimeUnit.SECONDS).join();
            sequencer.committed().await().atMost(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.count() == 2);
            assertThat(subscriber.events()).extracting(e -> e.get("data").get("marker").asText()).containsExactly("B", "A");
            assertThat(subscriber.ids()).isSorted().doesNotHaveDuplicates();
            assertThat(polledIds(orchestrator, start, "assignee=" + worker.name())).isEqualTo(subscriber.ids());
        }
    }

    private static Uni<Void> rename(io.vertx.mutiny.sqlclient.SqlConnection conn, long task, String title) {
        return conn.preparedQuery("UPDATE tasks SET title = $2, version = version + 1 WHERE id = $1")
                .execute(Tuple.of(task, title)).replaceWithVoid();
    }

    private static JsonObject marker(String marker, TestAgent assignee) {
        return new JsonObject().put("marker", marker).put("task", new JsonObject().put("assignee", assignee.name()));
    }
}
