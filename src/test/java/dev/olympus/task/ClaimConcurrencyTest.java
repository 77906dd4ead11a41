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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 32 concurrent claimers (8 workers with wipLimit 3, 4 claiming threads each, so every worker is pushed past its
 * limit) over 500 ready tasks: every task is claimed exactly once, none is lost, and no worker ever holds more
 * tasks in progress than its limit.
 */
@QuarkusTest
class ClaimConcurrencyTest {

    private static final int TASKS = 500;
    private static final int WORKERS = 8;
    private static final int THREADS_PER_WORKER = 4;
    private static final int WIP_LIMIT = 3;

    @Inject
    Pool pool;

    @Test
    void thirtyTwoClaimersTakeEveryTaskExactlyOnceWithinTheirWipLimits() throws Exception {
        TestAgent orchestrator = Api.agent("orchestrator");
        String label = Api.uniqueName("race");
        // Seeded in SQL: 500 tasks through the API would only measure the creation budget.
        Set<Long> seeded = new HashSet<>();
        pool.preparedQuery("""
                        INSERT INTO tasks (title, labels, created_by, priority)
                        SELECT 'race ' || g, ARRAY[$1], $2, (ARRAY['critical','high','medium','low'])[1 + g % 4]
                        FROM generate_series(1, $3) g RETURNING id
                        """)
                .execute(Tuple.of(label, orchestrator.name(), TASKS)).await().atMost(Duration.ofSeconds(30))
                .forEach(row -> seeded.add(row.getLong("id")));

        List<TestAgent> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            workers.add(Api.agent("worker", Map.of("wipLimit", WIP_LIMIT)));
        }
        ConcurrentLinkedQueue<Long> claimed = new ConcurrentLinkedQueue<>();
        AtomicInteger completed = new AtomicInteger();
        Map<String, AtomicInteger> held = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, AtomicInteger> maxHeld = new java.util.concurrent.ConcurrentHashMap<>();
        workers.forEach(w -> {
            held.put(w.name(), new AtomicInteger());
            maxHeld.put(w.name(), new AtomicInteger());
        });
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger serverSideMax = new AtomicInteger();
        long deadline = System.nanoTime() + Duration.ofSeconds(480).toNanos();
        CountDownLatch start = new CountDownLatch(1);
        String[] names = workers.stream().map(TestAgent::name).toArray(String[]::new);

        try (ExecutorService threads = Executors.newFixedThreadPool(WORKERS * THREADS_PER_WORKER + 1)) {
            // The server's own view, sampled all along: no worker over its limit in any committed state.
            Future<?> watcher = threads.submit(() -> {
                while (running.get()) {
                    int max = pool.preparedQuery("""
                                    SELECT coalesce(max(n), 0)::int AS m FROM (
                                        SELECT count(*) AS n FROM tasks
                                        WHERE status = 'in_progress' AND assignee = ANY($1) GROUP BY assignee) c
                                    """)
                            .execute(Tuple.of((Object) names)).await().atMost(Duration.ofSeconds(10))
                            .iterator().next().getInteger("m");
                    serverSideMax.accumulateAndGet(max, Math::max);
                    LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                }
                return null;
            });
            List<Future<?>> claimers = new ArrayList<>();
            for (TestAgent worker : workers) {
                for (int t = 0; t < THREADS_PER_WORKER; t++) {
                    claimers.add(threads.submit(() -> {
                        start.await();
                        while (completed.get() < TASKS && System.nanoTime() < deadline) {
                            Response response = worker.request().body(Map.of("labels", List.of(label))).post("/api/v1/tasks/claim");
                            if (response.statusCode() == 204) {
                                // At the limit (its sibling threads hold the slots) or nothing left yet: back off briefly.
                                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                                continue;
                            }
                            assertThat(response.statusCode()).isEqualTo(200);
                            long id = response.jsonPath().getLong("id");
                            long epoch = response.jsonPath().getLong("leaseEpoch");
                            claimed.add(id);
                            // Held from the claim's answer until the done is sent: within the server's holding, so
                            // more than the limit here would mean more than the limit there.
                            int now = held.get(worker.name()).incrementAndGet();
                            maxHeld.get(worker.name()).accumulateAndGet(now, Math::max);
                            LockSupport.parkNanos(Duration.ofMillis(2).toNanos()); // the work
                            held.get(worker.name()).decrementAndGet();
                            worker.request().header("Olympus-Lease-Epoch", epoch).body(Map.of("status", "done", "result", "ok"))
                                    .patch("/api/v1/tasks/" + id).then().statusCode(200);
                            completed.incrementAndGet();
                        }
                        return null;
                    }));
                }
            }
            start.countDown();
            for (Future<?> claimer : claimers) {
                claimer.get();
            }
            running.set(false);
            watcher.get();
        }

        assertThat(claimed).hasSize(TASKS);
        assertThat(new HashSet<>(claimed)).isEqualTo(seeded);
        assertThat(serverSideMax.get()).isLessThanOrEqualTo(WIP_LIMIT);
        maxHeld.values().forEach(max -> assertThat(max.get()).isLessThanOrEqualTo(WIP_LIMIT));
        long done = pool.preparedQuery("SELECT count(*) AS n FROM tasks WHERE $1 = ANY(labels) AND status = 'done'")
                .execute(Tuple.of(label)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
        assertThat(done).isEqualTo(TASKS);
    }
}
