package dev.olympus.task;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/** PUT dependencies, cycles (direct, indirect, concurrent), readiness and the task.ready event. */
@QuarkusTest
class DependenciesTest {

    @Inject
    Pool pool;

    private static Response put(TestAgent caller, long id, List<Long> dependsOn) {
        return caller.request().body(Map.of("dependsOn", dependsOn)).put("/api/v1/tasks/" + id + "/dependencies");
    }

    private static List<String> types(TestAgent reader, long id) {
        return reader.request().get("/api/v1/tasks/" + id + "/history?limit=200").jsonPath().getList("items.type", String.class);
    }

    @Test
    void replacesTheSetAndAnswersTheTask() {
        TestAgent orchestrator = Api.agent("orchestrator");
        long a = Api.task(orchestrator, Map.of());
        long b = Api.task(orchestrator, Map.of());
        long c = Api.task(orchestrator, Map.of("dependsOn", List.of(a)));

        put(orchestrator, c, List.of(b, b)).then().statusCode(200)
                .header("ETag", "\"2\"")
                .body("dependsOn", contains((int) b)).body("ready", is(false)).body("version", is(2));
        assertThat(types(orchestrator, c)).containsExactly("task.created", "task.updated");
        // The same set again changes nothing: no new version, no event.
        put(orchestrator, c, List.of(b)).then().statusCode(200).body("version", is(2));
        put(orchestrator, c, List.of()).then().statusCode(200).body("dependsOn", is(List.of())).body("ready", is(true));
        // Becoming ready by losing the unmet dependency is announced too.
        assertThat(types(orchestrator, c)).containsExactly("task.created", "task.updated", "task.updated", "task.ready");
    }

    @Test
    void refusesWorkersUnknownIdsAndStaleVersions() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long a = Api.task(orchestrator, Map.of("assignee", worker.name()));
        put(worker, a, List.of()).then().statusCode(403).body("code", is("forbidden"));
        put(orchestrator, a, List.of(Long.MAX_VALUE)).then().statusCode(400).body("code", is("validation-failed"));
        orchestrator.request().body(Map.of()).put("/api/v1/tasks/" + a + "/dependencies").then().statusCode(400);
        put(orchestrator, Long.MAX_VALUE, List.of()).then().statusCode(404);
        orchestrator.request().header("If-Match", "\"9\"").body(Map.of("dependsOn", List.of()))
                .put("/api/v1/tasks/" + a + "/dependencies").then().statusCode(412).body("code", is("version-conflict"));
    }

    @Test
    void refusesDirectAndIndirectCycles() {
        TestAgent orchestrator = Api.agent("orchestrator");
        long a = Api.task(orchestrator, Map.of());
        long b = Api.task(orchestrator, Map.of("dependsOn", List.of(a)));
        long c = Api.task(orchestrator, Map.of("dependsOn", List.of(b)));

        put(orchestrator, a, List.of(a)).then().statusCode(409).body("code", is("dependency-cycle"));
        put(orchestrator, a, List.of(b)).then().statusCode(409).body("code", is("dependency-cycle"));
        put(orchestrator, a, List.of(c)).then().statusCode(409).body("code", is("dependency-cycle"));
        // A diamond is not a cycle.
        put(orchestrator, c, List.of(a, b)).then().statusCode(200);
        assertThat(types(orchestrator, a)).containsExactly("task.created");
    }

    @Test
    void concurrentEditsFromTwoClientsNeverFormACycle() throws Exception {
        TestAgent first = Api.agent("orchestrator");
        TestAgent second = Api.agent("orchestrator");
        List<Long> all = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < 15; round++) {
                // Two-task cycle: x -> y and y -> x at once. Three-task cycle: with x -> y, y -> z and z -> x at once.
                long x = Api.task(first, Map.of());
                long y = Api.task(first, Map.of());
                long z = Api.task(first, Map.of());
                all.addAll(List.of(x, y, z));
                List<Integer> pair = race(threads, () -> put(first, x, List.of(y)).statusCode(),
                        () -> put(second, y, List.of(x)).statusCode());
                assertThat(pair).containsExactlyInAnyOrder(200, 409);

                put(first, x, List.of()).then().statusCode(200);
                put(first, y, List.of()).then().statusCode(200);
                put(first, x, List.of(y)).then().statusCode(200);
                List<Integer> triangle = race(threads, () -> put(first, y, List.of(z)).statusCode(),
                        () -> put(second, z, List.of(x)).statusCode());
                assertThat(triangle).containsExactlyInAnyOrder(200, 409);
            }
        }
        // And the stored graph among these tasks is acyclic.
        boolean cycle = pool.preparedQuery("""
                        WITH RECURSIVE walk(start, id, depth) AS (
                            SELECT task_id, depends_on, 1 FROM task_dependencies WHERE task_id = ANY($1)
                            UNION ALL
                            SELECT w.start, d.depends_on, w.depth + 1 FROM walk w JOIN task_dependencies d ON d.task_id = w.id
                            WHERE w.depth < 10)
                        SELECT EXISTS (SELECT 1 FROM walk WHERE start = id) AS cycle
                        """)
                .execute(Tuple.of((Object) all.toArray(Long[]::new))).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getBoolean("cycle");
        assertThat(cycle).isFalse();
    }

    @Test
    void completingTheLastDependencyMakesDependentsReady() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long a = Api.task(orchestrator, Map.of("assignee", worker.name()));
        long b = Api.task(orchestrator, Map.of("assignee", worker.name()));
        long dependent = Api.task(orchestrator, Map.of("dependsOn", List.of(a, b)));
        long other = Api.task(orchestrator, Map.of("dependsOn", List.of(a)));

        finish(worker, a);
        orchestrator.request().get("/api/v1/tasks/" + dependent).then().body("ready", is(false));
        assertThat(types(orchestrator, dependent)).containsExactly("task.created");
        assertThat(types(orchestrator, other)).containsExactly("task.created", "task.ready");

        finish(worker, b);
        orchestrator.request().get("/api/v1/tasks/" + dependent).then().body("ready", is(true));
        assertThat(types(orchestrator, dependent)).containsExactly("task.created", "task.ready");
        Response history = orchestrator.request().get("/api/v1/tasks/" + dependent + "/history");
        assertThat(history.jsonPath().getLong("items[1].data.completed")).isEqualTo(b);
        assertThat(history.jsonPath().getBoolean("items[1].data.task.ready")).isTrue();
    }

    @Test
    void twoBlockersCompletingAtOnceLeaveExactlyOneReadyEvent() throws Exception {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent one = Api.agent("worker");
        TestAgent two = Api.agent("worker");
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < 10; round++) {
                long a = Api.task(orchestrator, Map.of("assignee", one.name()));
                long b = Api.task(orchestrator, Map.of("assignee", two.name()));
                long dependent = Api.task(orchestrator, Map.of("dependsOn", List.of(a, b)));
                start(one, a);
                start(two, b);
                race(threads, () -> done(one, a), () -> done(two, b));
                assertThat(types(orchestrator, dependent)).containsExactly("task.created", "task.ready");
            }
        }
    }

    static void finish(TestAgent worker, long id) {
        start(worker, id);
        assertThat(done(worker, id)).isEqualTo(200);
    }

    static void start(TestAgent worker, long id) {
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + id).then().statusCode(200);
    }

    static int done(TestAgent worker, long id) {
        return worker.request().body(Map.of("status", "done")).patch("/api/v1/tasks/" + id).statusCode();
    }

    @SafeVarargs
    static List<Integer> race(ExecutorService threads, java.util.concurrent.Callable<Integer>... calls) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (var call : calls) {
            answers.add(threads.submit(() -> {
                go.await();
                return call.call();
            }));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> answer : answers) {
            statuses.add(answer.get());
        }
        return statuses;
    }
}
