package dev.olympus.metrics;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /q/metrics} after a scripted sequence of requests: every named Olympus meter is exposed, and the ones the
 * requests move have moved by exactly what the requests did.
 */
@QuarkusTest
class MetricsEndpointTest {

    @Inject
    Pool pool;

    @Inject
    StateGauges gauges;

    @Test
    void aScriptedSequenceMovesEachMeterByWhatItDid() {
        PrometheusScrape before = PrometheusScrape.now();
        long eventsBefore = eventCount();

        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        TestAgent observer = Api.agent("observer");
        long t1 = Api.task(orchestrator, "first", worker.name());
        long t2 = Api.task(orchestrator, "second", worker.name());
        // Refusals: a block without a reason, a move the table does not allow, an unknown task, no credential.
        worker.request().body(Map.of("status", "blocked")).patch("/api/v1/tasks/" + t1).then().statusCode(422);
        move(worker, t1, "in_progress");
        move(worker, t1, "done");
        move(worker, t2, "in_progress");
        move(worker, t2, "failed");
        orchestrator.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + t2).then().statusCode(409);
        observer.request().get("/api/v1/tasks/999999999").then().statusCode(404);
        given().get("/api/v1/tasks").then().statusCode(401);
        // A refusal outside the task endpoints is not a task rejection.
        observer.request().get("/api/v1/agents/no-such-agent").then().statusCode(404);

        PrometheusScrape after = PrometheusScrape.now();
        assertThat(delta(before, after, "olympus_tasks_created_total")).isEqualTo(2);
        assertThat(delta(before, after, "olympus_tasks_completed_total", "outcome", "done")).isEqualTo(1);
        assertThat(delta(before, after, "olympus_tasks_completed_total", "outcome", "failed")).isEqualTo(1);
        // Every event the log received is counted once: 3 agents, 2 tasks, 4 status moves.
        assertThat(delta(before, after, "olympus_events_written_total")).isEqualTo(eventCount() - eventsBefore).isGreaterThanOrEqualTo(9);
        assertThat(after.value("olympus_task_rejections_total", "code", "block-reason-required", "agent", worker.name()))
                .isEqualTo(1.0);
        assertThat(after.value("olympus_task_rejections_total", "code", "invalid-transition", "agent", orchestrator.name()))
                .isEqualTo(1.0);
        assertThat(after.value("olympus_task_rejections_total", "code", "not-found", "agent", observer.name()))
                .isEqualTo(1.0);
        assertThat(delta(before, after, "olympus_task_rejections_total", "code", "unauthorized", "agent", "unknown"))
                .isEqualTo(1);
        assertThat(after.text).doesNotContain("agent=\"" + observer.name() + "\",code=\"not-found\"} 2");
    }

    @Test
    void stateGaugesShowTheDatabaseAfterARefresh() {
        TestAgent orchestrator = Api.agent("orchestrator");
        long id = Api.task(orchestrator, "needs a look", null);
        // A consistent stale blockage: a maintenance run (MaintenanceTest) would keep the flag.
        update("UPDATE tasks SET status = 'blocked', blocked_at = now() - interval '5 hours', needs_attention = true,"
                + " attention_reason = 'stale-blocked', attention_since = now() WHERE id = $1", id);
        try {
            gauges.refresh().await().atMost(Duration.ofSeconds(10));
            PrometheusScrape scrape = PrometheusScrape.now();
            Map<String, Long> statuses = counts("SELECT status, count(*) FROM tasks GROUP BY status");
            for (String status : OlympusMetrics.TASK_STATUSES) {
                assertThat(scrape.value("olympus_tasks", "status", status)).as(status)
                        .isEqualTo(statuses.getOrDefault(status, 0L).doubleValue());
            }
            Map<String, Long> reasons = counts("SELECT attention_reason, count(*) FROM tasks WHERE needs_attention GROUP BY 1");
            assertThat(scrape.value("olympus_tasks_attention", "reason", "stale-blocked"))
                    .isEqualTo(reasons.get("stale-blocked").doubleValue()).isGreaterThanOrEqualTo(1.0);
            assertThat(scrape.value("olympus_tasks_attention", "reason", "lease-expired"))
                    .isEqualTo(reasons.getOrDefault("lease-expired", 0L).doubleValue());
            Map<String, Long> states = counts("SELECT state, count(*) FROM agents GROUP BY state");
            for (String state : OlympusMetrics.AGENT_STATES) {
                assertThat(scrape.value("olympus_agents", "state", state)).as(state)
                        .isEqualTo(states.getOrDefault(state, 0L).doubleValue());
            }
        } finally {
            update("UPDATE tasks SET status = 'canceled', blocked_at = NULL, needs_attention = false, attention_reason = NULL,"
                    + " attention_since = NULL WHERE id = $1", id);
        }
    }

    @Test
    void everyNamedMeterIsExposed() {
        PrometheusScrape scrape = PrometheusScrape.now();
        for (String name : new String[]{"olympus_tasks", "olympus_tasks_attention", "olympus_agents",
                "olympus_tasks_created_total", "olympus_tasks_completed_total", "olympus_events_written_total",
                "olympus_websocket_sessions", "olympus_scheduler_runs_total", "olympus_scheduler_lag_seconds",
                "olympus_scheduler_leader",
                // HTTP server and the reactive pool, built in
                "http_server_requests_seconds_count", "sql_pool_active", "sql_pool_idle", "sql_pool_queue_size",
                "postgresql_current"}) {
            assertThat(scrape.has(name)).as(name + " in " + scrape).isTrue();
        }
    }

    private static void move(TestAgent agent, long id, String status) {
        agent.request().body(Map.of("status", status)).patch("/api/v1/tasks/" + id).then().statusCode(200);
    }

    private static double delta(PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
        return after.count(name, labels) - before.count(name, labels);
    }

    private long eventCount() {
        return pool.query("SELECT count(*) FROM events").execute().await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }

    private void update(String sql, long id) {
        pool.preparedQuery(sql).execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5));
    }

    private Map<String, Long> counts(String sql) {
        Map<String, Long> counts = new HashMap<>();
        for (Row row : pool.query(sql).execute().await().atMost(Duration.ofSeconds(5))) {
            counts.put(row.getString(0), row.getLong(1));
        }
        return counts;
    }
}
