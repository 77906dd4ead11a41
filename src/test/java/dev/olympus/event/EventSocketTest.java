package dev.olympus.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.auth.AgentKilled;
import dev.olympus.db.Transactions;
import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.EventClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The WebSocket event stream: replay and resume, role filtering, slow consumers, the kill switch, refusals. */
@QuarkusTest
class EventSocketTest {

    @Inject
    Event<AgentKilled> killed;

    @Inject
    EventStream stream;

    @Inject
    Transactions transactions;

    @Test
    void aSubscriberThatReconnectsWithItsCursorGetsExactlyWhatItMissedThenLiveEvents() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long start = head();
        long task;
        long cursor;
        try (EventClient client = EventClient.connect(baseUrl(), orchestrator.key(), "after=" + start + "&assignee=" + worker.name())) {
            task = Api.task(orchestrator, "reconnect", worker.name());
            await().atMost(Duration.ofSeconds(10)).until(() -> client.count() == 1);
            assertThat(client.events().getFirst().get("type").asText()).isEqualTo("task.created");
            cursor = client.lastId();
            client.closeNormally();
        }

        // 100 events happen while it is away.
        IntStream.range(0, 100).forEach(i -> orchestrator.request().body(Map.of("body", "while away " + i))
                .post("/api/v1/tasks/" + task + "/comments").then().statusCode(201));
        List<Long> missed = polledIds(orchestrator, cursor, "assignee=" + worker.name());
        assertThat(missed).hasSize(100);

        try (EventClient client = EventClient.connect(baseUrl(), orchestrator.key(), "after=" + cursor + "&assignee=" + worker.name())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> client.count() >= 100);
            assertThat(client.ids()).isEqualTo(missed);
            assertThat(client.events()).extracting(e -> e.get("data").get("body").asText())
                    .containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> "while away " + i).toList());

            orchestrator.request().body(Map.of("body", "live")).post("/api/v1/tasks/" + task + "/comments").then().statusCode(201);
            await().atMost(Duration.ofSeconds(10)).until(() -> client.count() == 101);
            assertThat(client.events().getLast().get("data").get("body").asText()).isEqualTo("live");
            assertThat(client.ids()).isSorted().doesNotHaveDuplicates();
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void withoutACursorTheStreamStartsNow() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        Api.task(orchestrator, "before", worker.name());
        try (EventClient client = EventClient.connect(baseUrl(), orchestrator.key(), "assignee=" + worker.name())) {
            Api.task(orchestrator, "after", worker.name());
            await().atMost(Duration.ofSeconds(10)).until(() -> client.count() == 1);
            assertThat(client.events().getFirst().get("data").get("task").get("title").asText()).isEqualTo("after");
        }
    }

    @Test
    void aWorkerReceivesOnlyTheEventsOfItsOwnTasksAndOfItself() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent mine = Api.agent("worker");
        TestAgent other = Api.agent("worker");
        long start = head();
        try (EventClient client = EventClient.connect(baseUrl(), mine.key(), "after=" + start)) {
            long own = Api.task(orchestrator, "own", mine.name());
            long foreign = Api.task(orchestrator, "foreign", other.name());
            long lost = Api.task(orchestrator, "lost", mine.name());
            comment(orchestrator, own, "for me");
            comment(orchestrator, foreign, "not for me");
            other.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + foreign).then().statusCode(200);
            // Reassigned away: it learns it lost the task, then hears nothing more of it.
            orchestrator.request().body(Map.of("assignee", other.name())).patch("/api/v1/tasks/" + lost).then().statusCode(200);
            comment(orchestrator, lost, "after reassignment");
            other.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + lost).then().statusCode(200);
            comment(orchestrator, own, "last");

            await().atMost(Duration.ofSeconds(10)).until(() -> client.events().stream()
                    .anyMatch(e -> e.get("data").has("body") && e.get("data").get("body").asText().equals("last")));
            List<String> seen = new ArrayList<>();
            for (JsonNode e : client.events()) {
                seen.add(e.get("taskId").asLong() == own ? "own " + e.get("type").asText()
                        : e.get("taskId").asLong() == lost ? "lost " + e.get("type").asText()
                        : "other " + e.get("taskId").asText() + " " + e.get("type").asText());
            }
            assertThat(seen).containsExactly("own task.created", "lost task.created", "own task.commented",
                    "lost task.assigned", "own task.commented");
            assertThat(client.ids()).isSorted();
            // Polling applies the same rule.
            List<Long> polled = polledIds(mine, start, "");
            assertThat(polled).isEqualTo(client.ids());
        }
    }

    @Test
    void typeAndAssigneeFiltersNarrowTheStream() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long start = head();
        try (EventClient comments = EventClient.connect(baseUrl(), orchestrator.key(),
                "after=" + start + "&type=task.commented&assignee=" + worker.name());
             EventClient tasks = EventClient.connect(baseUrl(), worker.key(), "after=" + start + "&type=task.*,agent.created&assignee=me")) {
            long task = Api.task(orchestrator, "filtered", worker.name());
            comment(orchestrator, task, "one");
            worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + task).then().statusCode(200);
            comment(orchestrator, task, "two");
            await().atMost(Duration.ofSeconds(10)).until(() -> comments.count() == 2 && tasks.count() == 4);
            assertThat(comments.events()).extracting(e -> e.get("type").asText()).containsOnly("task.commented");
            assertThat(tasks.events()).extracting(e -> e.get("type").asText())
                    .containsExactly("task.created", "task.commented", "task.status_changed", "task.commented");
        }
    }

    @Test
    void aSlowConsumerIsClosedWithItsCursorAndTheOthersAreUnaffected() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent slowReader = Api.agent("observer");
        TestAgent worker = Api.agent("worker");
        long task = Api.task(orchestrator, "big", worker.name());
        long start = head();
        String query = "after=" + start + "&assignee=" + worker.name();
        try (EventClient slow = EventClient.slow(baseUrl(), slowReader.key(), query);
             EventClient fast = EventClient.connect(baseUrl(), orchestrator.key(), query)) {
            // Big events (60 KiB, like a task with a long description) fill the socket buffers fast. They come in
            // small commits, each received by the healthy client before the next: it is never behind.
            JsonObject big = new JsonObject().put("task", new JsonObject().put("id", task).put("assignee", worker.name())
                    .put("description", "x".repeat(60_000)));
            int written = 0;
            while (stream.openSessions(slowReader.name()) > 0 && written < 1000) {
                transactions.inTransaction(tx -> {
                    for (int i = 0; i < 5; i++) {
                        tx.emit(NewEvent.task("task.updated", orchestrator.name(), task, big));
                    }
                    return Uni.createFrom().voidItem();
                }).await().atMost(Duration.ofSeconds(10));
                written += 5;
                int expected = written;
                await().atMost(Duration.ofSeconds(10)).until(() -> fast.count() == expected);
            }
            assertThat(stream.openSessions(slowReader.name())).as("the slow session was dropped").isZero();
            assertThat(fast.isClosed()).isFalse();
            assertThat(fast.ids()).isSorted().doesNotHaveDuplicates();

            // When the slow client reads its backlog, it finds the close code and where to resume.
            slow.resumeReading();
            await().atMost(Duration.ofSeconds(10)).until(slow::isClosed);
            assertThat(slow.closeCode()).isEqualTo(EventStream.CLOSE_TOO_SLOW);
            assertThat(slow.closeReason()).startsWith("too slow: resume from cursor ");
            long hinted = Long.parseLong(slow.closeReason().substring("too slow: resume from cursor ".length()));
            assertThat(hinted).isLessThanOrEqualTo(slow.lastId());
            assertThat(slow.ids()).isEqualTo(fast.ids().subList(0, slow.count()));

            // It resumes from the last event it processed and gets the rest.
            long resumeAt = slow.lastId();
            try (EventClient resumed = EventClient.connect(baseUrl(), slowReader.key(), "after=" + resumeAt + "&assignee=" + worker.name())) {
                List<Long> rest = fast.ids().stream().filter(id -> id > resumeAt).toList();
                await().atMost(Duration.ofSeconds(10)).until(() -> resumed.count() == rest.size());
                assertThat(resumed.ids()).isEqualTo(rest);
            }
        }
    }

    @Test
    void aKilledAgentsSessionsAreClosedAtOnce() {
        TestAgent worker = Api.agent("worker");
        TestAgent bystander = Api.agent("worker");
        try (EventClient one = EventClient.connect(baseUrl(), worker.key(), "");
             EventClient two = EventClient.connect(baseUrl(), worker.key(), "type=task.*");
             EventClient other = EventClient.connect(baseUrl(), bystander.key(), "")) {
            killed.fire(new AgentKilled(worker.name()));
            await().atMost(Duration.ofSeconds(5)).until(() -> one.isClosed() && two.isClosed());
            assertThat(one.closeCode()).isEqualTo(EventStream.CLOSE_AGENT_KILLED);
            assertThat(one.closeReason()).startsWith("agent-killed");
            assertThat(two.closeCode()).isEqualTo(EventStream.CLOSE_AGENT_KILLED);
            assertThat(other.isClosed()).isFalse();
        }
    }

    @Test
    void theUpgradeAuthenticatesLikeRest() {
        TestAgent observer = Api.agent("observer");
        assertThat(EventClient.refusal(baseUrl(), null, "")).isEqualTo(401);
        assertThat(EventClient.refusal(baseUrl(), "olk_not-a-real-key-0123456789abcdef", "")).isEqualTo(401);
        assertThat(EventClient.refusal(baseUrl(), null, "access_token=garbage")).isEqualTo(401);
        assertThat(EventClient.refusal(baseUrl(), observer.key(), "after=-1")).isEqualTo(400);
        assertThat(EventClient.refusal(baseUrl(), observer.key(), "type=no%20such")).isEqualTo(400);

        // Browsers cannot set headers: the access_token query parameter works too.
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        try (EventClient browser = EventClient.connect(baseUrl(), null, "access_token=" + observer.key() + "&assignee=" + worker.name())) {
            Api.task(orchestrator, "seen by a browser", worker.name());
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.count() == 1);
        }
    }

    @Test
    void anAgentHasAConnectionCap() {
        TestAgent observer = Api.agent("observer");
        List<EventClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                open.add(EventClient.connect(baseUrl(), observer.key(), ""));
            }
            assertThat(EventClient.refusal(baseUrl(), observer.key(), "")).isEqualTo(429);
            open.removeFirst().closeNormally();
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
                try (EventClient again = EventClient.connect(baseUrl(), observer.key(), "")) {
                    assertThat(again.isClosed()).isFalse();
                }
            });
        } finally {
            open.forEach(EventClient::close);
        }
    }

    static String baseUrl() {
        return "http://localhost:" + RestAssured.port;
    }

    static long head() {
        return Api.admin().get("/api/v1/events?limit=1").then().statusCode(200).extract().jsonPath().getLong("head");
    }

    static void comment(TestAgent who, long task, String body) {
        who.request().body(Map.of("body", body)).post("/api/v1/tasks/" + task + "/comments").then().statusCode(201);
    }

    /** Every event after {@code after} that {@code who} may see, through the polling endpoint. */
    static List<Long> polledIds(TestAgent who, long after, String filter) {
        List<Long> ids = new ArrayList<>();
        String cursor = Long.toString(after);
        while (cursor != null) {
            var page = who.request().get("/api/v1/events?limit=200&after=" + cursor + (filter.isEmpty() ? "" : "&" + filter))
                    .then().statusCode(200).extract().jsonPath();
            ids.addAll(page.getList("items.id", Long.class));
            cursor = page.getString("nextCursor");
        }
        return ids;
    }
}
