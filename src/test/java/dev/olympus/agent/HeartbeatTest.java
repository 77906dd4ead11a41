package dev.olympus.agent;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class HeartbeatTest {

    @Inject
    Pool pool;

    @Test
    void answersTheServerTimeAndWhenTheNextHeartbeatIsDue() {
        TestAgent worker = Api.agent("worker", Map.of("heartbeatIntervalSeconds", 60));
        Response beat = worker.request().body(Map.of("status", "idle", "note", "waiting for work")).post("/api/v1/agents/me/heartbeat");
        beat.then().statusCode(200).body("taskId", nullValue()).body("leaseExpiresAt", nullValue());
        Instant serverTime = Instant.parse(beat.path("serverTime"));
        Instant due = Instant.parse(beat.path("nextHeartbeatDueAt"));
        assertThat(Duration.between(serverTime, due)).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(61));
        assertThat(Duration.between(serverTime, Instant.now()).abs()).isLessThan(Duration.ofSeconds(30));

        Response agent = Api.admin().get("/api/v1/agents/" + worker.name());
        agent.then().statusCode(200).body("state", is("active"));
        assertThat(Instant.parse(agent.path("lastHeartbeatAt"))).isBefore(due);
        assertThat(Instant.parse(agent.path("nextHeartbeatDueAt"))).isEqualTo(due);
    }

    @Test
    void aNewAgentIsDueOneIntervalAfterItsCreation() {
        TestAgent worker = Api.agent("worker", Map.of("heartbeatIntervalSeconds", 120));
        Response agent = Api.admin().get("/api/v1/agents/" + worker.name());
        agent.then().body("lastHeartbeatAt", nullValue());
        Instant created = Instant.parse(agent.path("createdAt"));
        assertThat(Instant.parse(agent.path("nextHeartbeatDueAt"))).isEqualTo(created.plusSeconds(120));
    }

    @Test
    void everyRoleMayHeartbeatWithoutABodyAndNoEventIsWritten() {
        TestAgent observer = Api.agent("observer");
        long before = events(observer.name());
        RestAssured.given().header("Authorization", "Bearer " + observer.key()).post("/api/v1/agents/me/heartbeat")
                .then().statusCode(200);
        observer.request().body(Map.of()).post("/api/v1/agents/me/heartbeat").then().statusCode(200);
        assertThat(events(observer.name())).isEqualTo(before);
    }

    @Test
    void validatesTheBody() {
        TestAgent worker = Api.agent("worker");
        worker.request().body(Map.of("status", "asleep")).post("/api/v1/agents/me/heartbeat")
                .then().statusCode(400).body("code", is("validation-failed"));
        worker.request().body(Map.of("mood", "fine")).post("/api/v1/agents/me/heartbeat").then().statusCode(400);
        worker.request().body(Map.of("note", "x".repeat(1025))).post("/api/v1/agents/me/heartbeat").then().statusCode(400);
        RestAssured.given().post("/api/v1/agents/me/heartbeat").then().statusCode(401);
    }

    private long events(String agent) {
        return pool.preparedQuery("SELECT count(*) AS n FROM events WHERE agent = $1").execute(Tuple.of(agent))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
    }
}
