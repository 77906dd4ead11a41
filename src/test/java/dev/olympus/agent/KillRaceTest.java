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

    @Test
    void anAssignmentInFlightDuringAKillIsRefused() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        SqlConnection kill = pool.getConnection().await().atMost(WAIT);
        try {
            // What KillSwitch holds while it releases the agent's tasks: the agent's row, locked.
            kill.query("BEGIN").execute().await().atMost(WAIT);
            kill.preparedQuery("SELECT 1 FROM agents WHERE name = $1 FOR NO KEY UPDATE").execute(Tuple.of(worker.name()))
                    .await().atMost(WAIT);
            CompletableFuture<Response> inFlight = CompletableFuture.supplyAsync(() -> orchestrator.request()
                    .body(Map.of("title", "assigned during a kill", "assignee", worker.name())).post("/api/v1/tasks"));
            await().atMost(WAIT).until(() -> waitingFor("Lock", "%FROM agents WHERE name = $1 FOR SHARE%"));
            kill.preparedQuery("UPDATE agents SET state = 'killed', killed_at = now() WHERE name = $1")
                    .execute(Tuple.of(worker.name())).await().atMost(WAIT);
            kill.query("COMMIT").execute().await().atMost(WAIT);

            Response answer = inFlight.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(answer.jsonPath().getString("errors[0].field")).isEqualTo("assignee");
            orchestrator.request().queryParam("assignee", worker.name()).get("/api/v1/tasks").then().statusCode(200)
                    .body("items", org.hamcrest.Matchers.empty());
        } finally {
            kill.close().await().atMost(WAIT);
        }
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
        return waitingFor("Lock", "%pg_advisory_xact_lock_shared%");
    }

    /** Is a session waiting for a lock of this type while running a statement like this? */
    private boolean waitingFor(String waitEventType, String queryLike) {
        return pool.preparedQuery("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE wait_event_type = $1 AND query LIKE $2 AND pid <> pg_backend_pid()""")
                .execute(Tuple.of(waitEventType, queryLike)).await().atMost(WAIT).iterator().next().getLong(0) > 0;
    }
}
