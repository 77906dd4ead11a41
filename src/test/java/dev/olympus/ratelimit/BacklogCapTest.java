package dev.olympus.ratelimit;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
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

    /** The guard's count (creator_open_tasks, V16) follows every write that opens or closes a task, whatever writes it. */
    @Test
    void theCountFollowsEveryChangeOfOpenness() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent other = Api.agent("orchestrator");
        String me = orchestrator.name();
        sql("INSERT INTO tasks (title, created_by) SELECT 'c ' || g, $1 FROM generate_series(1, 20) g", me);
        sql("UPDATE tasks SET status = 'done' WHERE created_by = $1 AND title IN ('c 1', 'c 2', 'c 3')", me);
        sql("UPDATE tasks SET status = 'in_progress' WHERE created_by = $1 AND title = 'c 4'", me); // open to open
        sql("UPDATE tasks SET status = 'todo' WHERE created_by = $1 AND title = 'c 1'", me);        // reopened
        sql("DELETE FROM tasks WHERE created_by = $1 AND title IN ('c 5', 'c 2')", me);              // open, closed
        sql("UPDATE tasks SET created_by = '" + other.name() + "' WHERE created_by = $1 AND title = 'c 6'", me);
        assertThat(counted(me)).isEqualTo(open(me)).isEqualTo(16);
        assertThat(counted(other.name())).isEqualTo(open(other.name())).isEqualTo(1);

        long created = Api.task(orchestrator, "through the API", null);
        assertThat(counted(me)).isEqualTo(open(me)).isEqualTo(17);
        // Counters, not rows per change: at most one per shard, whatever the number of changes.
        assertThat(rows(me)).isBetween(1L, 16L);
        orchestrator.request().body(Map.of("status", "canceled")).patch("/api/v1/tasks/" + created).then().statusCode(200);
        assertThat(counted(me)).isEqualTo(open(me)).isEqualTo(16);
    }

    /** Concurrent closings and creations of one creator (the normal case with one orchestrator) keep it exact. */
    @Test
    void concurrentClosingsAndCreationsKeepTheCountExact() throws Exception {
        TestAgent orchestrator = Api.agent("orchestrator");
        String me = orchestrator.name();
        sql("INSERT INTO tasks (title, created_by) SELECT 'race ' || g, $1 FROM generate_series(1, 40) g", me);
        List<Long> ids = new ArrayList<>();
        pool.preparedQuery("SELECT id FROM tasks WHERE created_by = $1 ORDER BY id").execute(Tuple.of(me))
                .await().atMost(Duration.ofSeconds(10)).forEach(row -> ids.add(row.getLong(0)));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                long id = ids.get(i);
                calls.add(threads.submit(() -> orchestrator.request().body(Map.of("status", "canceled"))
                        .patch("/api/v1/tasks/" + id).statusCode()));
                int n = i;
                if (n % 4 == 0) {
                    calls.add(threads.submit(() -> orchestrator.request().body(Map.of("title", "new " + n))
                            .post("/api/v1/tasks").statusCode()));
                }
            }
            for (Future<Integer> call : calls) {
                assertThat(call.get(60, TimeUnit.SECONDS)).isIn(200, 201);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(counted(me)).isEqualTo(open(me)).isEqualTo(10);
    }

    private long counted(String creator) {
        return single("SELECT coalesce(sum(open), 0) FROM creator_open_tasks WHERE created_by = $1", creator);
    }

    private long open(String creator) {
        return single("SELECT count(*) FROM tasks WHERE created_by = $1 AND status IN ('todo', 'in_progress', 'in_review', 'blocked')", creator);
    }

    private long rows(String creator) {
        return single("SELECT count(*) FROM creator_open_tasks WHERE created_by = $1", creator);
    }

    private long single(String query, String creator) {
        return pool.preparedQuery(query).execute(Tuple.of(creator)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }

    private void sql(String statement, String creator) {
        pool.preparedQuery(statement).execute(Tuple.of(creator)).await().atMost(Duration.ofSeconds(10));
    }
}
