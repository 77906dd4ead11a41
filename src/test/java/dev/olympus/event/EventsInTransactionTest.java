package dev.olympus.event;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** Every change leaves exactly one event of its kind, written in its transaction; a failed change leaves none. */
@QuarkusTest
class EventsInTransactionTest {

    @Inject
    Pool pool;

    @Test
    void eachChangeLeavesExactlyOneEvent() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long id = Api.task(orchestrator, "evented", null);
        assertThat(types(id)).containsExactly("task.created");

        orchestrator.request().body(Map.of("assignee", worker.name())).patch("/api/v1/tasks/" + id).then().statusCode(200);
        assertThat(types(id)).containsExactly("task.created", "task.assigned");

        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + id).then().statusCode(200);
        assertThat(types(id)).endsWith("task.status_changed").hasSize(3);

        worker.request().body(Map.of("body", "note")).post("/api/v1/tasks/" + id + "/comments").then().statusCode(201);
        assertThat(types(id)).endsWith("task.commented").hasSize(4);

        orchestrator.request().body(Map.of("title", "renamed", "priority", "low")).patch("/api/v1/tasks/" + id).then().statusCode(200);
        assertThat(types(id)).endsWith("task.updated").hasSize(5);

        // A patch that changes nothing is no change: no event, no new version.
        orchestrator.request().body(Map.of("title", "renamed")).patch("/api/v1/tasks/" + id)
                .then().statusCode(200).body("version", is(4));
        assertThat(types(id)).hasSize(5);
    }

    @Test
    void refusedChangesLeaveNoEvent() {
        TestAgent orchestrator = Api.agent("orchestrator");
        long id = Api.task(orchestrator, "guarded", null);
        orchestrator.request().body(Map.of("status", "done")).patch("/api/v1/tasks/" + id).then().statusCode(409);
        orchestrator.request().header("If-Match", "\"7\"").body(Map.of("title", "x")).patch("/api/v1/tasks/" + id).then().statusCode(412);
        assertThat(types(id)).containsExactly("task.created");
    }

    @Test
    void aChangeThatFailsInTheDatabaseLeavesNeitherTheChangeNorItsEvent() {
        TestAgent orchestrator = Api.agent("orchestrator");
        long id = Api.task(orchestrator, "atomic", null);
        long before = maxEventId();
        // PostgreSQL refuses NUL in text: the UPDATE fails after the status was checked, so everything rolls back.
        orchestrator.request().body("{\"status\":\"canceled\",\"title\":\"bad\\u0000title\"}").patch("/api/v1/tasks/" + id)
                .then().statusCode(400);
        orchestrator.request().get("/api/v1/tasks/" + id).then().body("status", is("todo")).body("version", is(1));
        assertThat(types(id)).containsExactly("task.created");
        assertThat(eventsAfter(before)).doesNotContain(id);
    }

    @Test
    void agentCreationIsAnEvent() {
        TestAgent agent = Api.agent("worker");
        var rows = pool.preparedQuery("SELECT type, actor FROM events WHERE agent = $1").execute(Tuple.of(agent.name()))
                .await().atMost(Duration.ofSeconds(5));
        assertThat(rows.rowCount()).isEqualTo(1);
        assertThat(rows.iterator().next().getString("type")).isEqualTo("agent.created");
        assertThat(rows.iterator().next().getString("actor")).isEqualTo("admin");
    }

    private List<String> types(long taskId) {
        List<String> types = new ArrayList<>();
        pool.preparedQuery("SELECT type FROM events WHERE task_id = $1 ORDER BY id").execute(Tuple.of(taskId))
                .await().atMost(Duration.ofSeconds(5))
                .forEach(row -> types.add(row.getString(0)));
        return types;
    }

    private long maxEventId() {
        return pool.query("SELECT coalesce(max(id), 0) FROM events").execute().await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }

    private List<Long> eventsAfter(long id) {
        List<Long> taskIds = new ArrayList<>();
        pool.preparedQuery("SELECT task_id FROM events WHERE id > $1 AND task_id IS NOT NULL").execute(Tuple.of(id))
                .await().atMost(Duration.ofSeconds(5))
                .forEach(row -> taskIds.add(row.getLong(0)));
        return taskIds;
    }
}
