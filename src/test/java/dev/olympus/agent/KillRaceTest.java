package dev.olympus.agent;

import dev.olympus.auth.KillFence;
import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A write whose credential check passed just before a kill must not outlive the kill: the kill closes the agent's
 * {@link KillFence} while it releases the agent's tasks, and a claim or PATCH of that agent waits for it, then is
 * refused. Here the kill is held open by hand (fence closed, then marked killed behind the credential cache's back)
 * so that the write is certainly in flight while it happens.
 */
@QuarkusTest
class KillRaceTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Pool pool;

    @Test
    void aClaimInFlightDuringAKillClaimsNothing() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("race");
        long id = Api.task(orchestrator, Map.of("title", "raced", "labels", List.of(label)));
        worker.request().get("/api/v1/agents/me").then().statusCode(200); // its credential is cached: auth passes

        Response answer = duringAKillOf(worker, () -> worker.request().body(Map.of("labels", List.of(label)))
                .post("/api/v1/tasks/claim"));

        assertThat(answer.statusCode()).isEqualTo(204);
        orchestrator.request().get("/api/v1/tasks/" + id).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.is("todo"))
                .body("assignee", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aPatchInFlightDuringAKillIsRefused() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long id = Api.task(orchestrator, "raced patch", worker.name());
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + id).then().statusCode(200);

        Response answer = duringAKillOf(worker, () -> worker.request().body(Map.of("status", "done", "result", "late"))
                .patch("/api/v1/tasks/" + id));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.jsonPath().getString("code")).isEqualTo("agent-killed");
        orchestrator.request().get("/api/v1/tasks/" + id).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.is("in_progress"))
                .body("result", org.hamcrest.Matchers.nullValue());
    }

    /** Closes the agent's fence as a kill does, sends the write, waits until it queues behind it, then kills. */
    private Response duringAKillOf(TestAgent agent, Supplier<Response> write) {
        SqlConnection kill = pool.getConnection().await().atMost(WAIT);
        try {
            kill.query("BEGIN").execute().await().atMost(WAIT);
            KillFence.closeFor(kill, agent.name()).await().atMost(WAIT);
            CompletableFuture<Response> inFlight = CompletableFuture.supplyAsync(write);
            await().atMost(WAIT).until(this::waitingForTheFence);
            assertThat(inFlight).isNotDone();
            kill.preparedQuery("UPDATE agents SET state = 'killed', killed_at = now() WHERE name = $1")
                    .execute(Tuple.of(agent.name())).await().atMost(WAIT);
            kill.query("COMMIT").execute().await().atMost(WAIT);
            return inFlight.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
        } finally {
            kill.close().await().atMost(WAIT);
        }
    }

    private boolean waitingForTheFence() {
        return pool.query("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE wait_event = 'advisory' AND query LIKE '%pg_advisory_xact_lock_shared%'""")
                .execute().await().atMost(WAIT).iterator().next().getLong(0) > 0;
    }
}
