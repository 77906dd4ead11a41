package dev.olympus.web;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One DEBUG line per request in dev.olympus.access, and never a credential in any log line. */
@QuarkusTest
class AccessLogTest {

    final List<String> lines = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            lines.add(record.getLoggerName() + " " + record.getLevel() + " " + message);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void listen() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void eachRequestLeavesOneLineWithAgentMethodPathStatusAndDuration() {
        TestAgent observer = Api.agent("observer");
        observer.request().get("/api/v1/tasks?limit=7").then().statusCode(200);
        given().get("/api/v1/tasks").then().statusCode(401);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(lines)
                .anyMatch(l -> l.matches("dev\\.olympus\\.access DEBUG agent=" + observer.name()
                        + " method=GET path=/api/v1/tasks status=200 durationMs=\\d+\\.\\d"))
                .anyMatch(l -> l.matches("dev\\.olympus\\.access DEBUG agent=- method=GET path=/api/v1/tasks status=401 durationMs=.*")));
        assertThat(lines).noneMatch(l -> l.contains("limit=7")); // no query strings
    }

    @Test
    void noCredentialReachesALogLine() {
        TestAgent worker = Api.agent("worker");
        String jwtLike = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        worker.request().get("/api/v1/tasks").then().statusCode(200);
        given().queryParam("access_token", worker.key()).get("/api/v1/tasks").then().statusCode(401);
        given().header("Authorization", "Bearer " + jwtLike).get("/api/v1/tasks").then().statusCode(401);
        // Even a key pasted into a path is masked.
        worker.request().get("/api/v1/agents/" + worker.key()).then().statusCode(404);
        worker.request().get("/api/v1/agents/" + jwtLike).then().statusCode(404);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(lines.stream().filter(l -> l.contains("path=/api/v1/agents/***"))).hasSize(2));
        String secret = worker.key().substring(4);
        assertThat(lines).isNotEmpty().noneMatch(l -> l.contains(secret) || l.contains(jwtLike) || l.contains("eyJzdWIi"));
    }
}
