package dev.olympus.scheduler;

import dev.olympus.testing.OlympusProcess;
import dev.olympus.testing.TwoInstances;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two packaged instances on one new database, both ticking every second: exactly one of them runs the scheduler,
 * one missed heartbeat leaves exactly one agent.heartbeat_missed event, and when the leader is killed (SIGKILL, no
 * shutdown) the other one takes over within one interval.
 */
class SchedulerIT {

    private static final String ADMIN_KEY = "olk_it-scheduler-admin-0123456789abcdefghij";
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    /** Process start-up and scheduling noise on a shared 2-core machine, on top of the one interval. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    @RegisterExtension
    static final TwoInstances OLYMPUS = TwoInstances.onNewDatabase("sched").adminKey(ADMIN_KEY)
            .with("olympus.scheduler.interval", INTERVAL.toSeconds() + "s")
            .with("olympus.heartbeat.grace", "1s");

    @Test
    void oneLeaderOneEventPerMissAndAFastHandOver() throws Exception {
        OlympusProcess a = OLYMPUS.a(), b = OLYMPUS.b();
        List<OlympusProcess> both = OLYMPUS.both();
        // Not timed: the first requests of this JVM warm up the HTTP client.
        await().atMost(Duration.ofSeconds(30)).until(() -> both.stream().filter(SchedulerIT::leads).count() == 1);
        OlympusProcess leader = leads(a) ? a : b;
        OlympusProcess follower = leader == a ? b : a;

        // An agent due every second that never heartbeats: one miss, one event, however many ticks pass.
        String agent = "silent-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        admin(follower).body(Map.of("name", agent, "role", "worker", "heartbeatIntervalSeconds", 1))
                .post("/api/v1/agents").then().statusCode(201);
        await().atMost(Duration.ofSeconds(15)).until(() -> "unresponsive".equals(state(follower, agent)));
        long runs = runs(leader);
        await().atMost(Duration.ofSeconds(15)).until(() -> runs(leader) >= runs + 3);
        assertThat(events(agent, "agent.heartbeat_missed")).isEqualTo(1);
        assertThat(runs(follower)).isZero();

        // The leader dies without a word; the follower holds the lock within one interval and does the work.
        leader.kill();
        long killed = System.nanoTime();
        await().atMost(INTERVAL.plus(SLACK)).pollInterval(Duration.ofMillis(50)).until(() -> leads(follower));
        Duration handOver = Duration.ofNanos(System.nanoTime() - killed);
        System.out.printf("Scheduler hand-over after SIGKILL of the leader: %d ms (interval %d ms)%n",
                handOver.toMillis(), INTERVAL.toMillis());

        String key = admin(follower).body(Map.of("name", agent + "-2", "role", "worker", "heartbeatIntervalSeconds", 1))
                .post("/api/v1/agents").then().statusCode(201).extract().path("apiKey");
        RestAssured.given().baseUri(follower.baseUrl()).header("Authorization", "Bearer " + key)
                .post("/api/v1/agents/me/heartbeat").then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> "unresponsive".equals(state(follower, agent + "-2")));
        assertThat(events(agent + "-2", "agent.heartbeat_missed")).isEqualTo(1);
        assertThat(events(agent, "agent.heartbeat_missed")).isEqualTo(1);
    }

    private static io.restassured.specification.RequestSpecification admin(OlympusProcess instance) {
        return RestAssured.given().baseUri(instance.baseUrl()).header("Authorization", "Bearer " + ADMIN_KEY)
                .contentType(ContentType.JSON);
    }

    private static String state(OlympusProcess instance, String agent) {
        return admin(instance).get("/api/v1/agents/" + agent).path("state");
    }

    /** The scheduler's entry of {@code /q/health/well}: {@code leader}, {@code runs}, {@code lastRunAt}. */
    private static Map<String, Object> scheduler(OlympusProcess instance) {
        String body = RestAssured.given().baseUri(instance.baseUrl()).get("/q/health/well").asString();
        List<Map<String, Object>> checks = JsonPath.from(body).getList("checks");
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) checks.stream()
                .filter(check -> "scheduler".equals(check.get("name"))).findFirst().orElseThrow().get("data");
        return data;
    }

    private static boolean leads(OlympusProcess instance) {
        return instance.isAlive() && Boolean.TRUE.equals(scheduler(instance).get("leader"));
    }

    private static long runs(OlympusProcess instance) {
        return ((Number) scheduler(instance).get("runs")).longValue();
    }

    private static long events(String agent, String type) throws SQLException {
        try (Connection db = OLYMPUS.connectDatabase();
             PreparedStatement query = db.prepareStatement("SELECT count(*) FROM events WHERE agent = ? AND type = ?")) {
            query.setString(1, agent);
            query.setString(2, type);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
