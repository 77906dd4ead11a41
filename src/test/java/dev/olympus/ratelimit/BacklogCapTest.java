package dev.olympus.ratelimit;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.hamcrest.Matchers.is;

/** A creator with olympus.tasks.max-open-per-creator (500) open tasks gets 429 backlog-full. */
@QuarkusTest
class BacklogCapTest {

    @Inject
    Pool pool;

    @Test
    void aFullBacklogRefusesNewTasksUntilOneIsClosed() {
        TestAgent orchestrator = Api.agent("orchestrator");
        // 499 open tasks (and some closed ones, which do not count), written directly: the API would take long.
        sql("INSERT INTO tasks (title, created_by) SELECT 'bulk ' || g, $1 FROM generate_series(1, 499) g", orchestrator.name());
        sql("INSERT INTO tasks (title, created_by, status) SELECT 'closed ' || g, $1, 'done' FROM generate_series(1, 5) g",
                orchestrator.name());
        long last = Api.task(orchestrator, "the 500th", null);

        orchestrator.request().body(Map.of("title", "one too many")).post("/api/v1/tasks")
                .then().statusCode(429)
                .contentType("application/problem+json")
                .body("code", is("backlog-full"))
                .body("openTasks", is(500))
                .body("maxOpen", is(500));

        orchestrator.request().body(Map.of("status", "canceled")).patch("/api/v1/tasks/" + last).then().statusCode(200);
        orchestrator.request().body(Map.of("title", "one too many")).post("/api/v1/tasks").then().statusCode(201);
        // Others are not affected by this creator's backlog.
        Api.task(Api.agent("orchestrator"), "someone else's", null);
    }

    private void sql(String statement, String creator) {
        pool.preparedQuery(statement).execute(Tuple.of(creator)).await().atMost(Duration.ofSeconds(10));
    }
}
