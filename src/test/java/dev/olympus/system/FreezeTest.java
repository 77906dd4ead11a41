package dev.olympus.system;

import dev.olympus.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.olympus.testing.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.*;

@QuarkusTest
class FreezeTest {

    @Inject
    Pool pool;

    @AfterEach
    void thaw() {
        admin().post("/api/v1/system/unfreeze").then().statusCode(200);
    }

    @Test
    void whileFrozenWritesAre423ReadsWorkAndOperatorsKeepWriting() {
        var main = Api.agent("orchestrator");
        var worker = Api.agent("worker");
        var observer = Api.agent("observer");
        long task = Api.task(main, "before the freeze", worker.name());
        long eventsBefore = count("system.frozen");

        admin().body(Map.of("reason", "incident 42")).post("/api/v1/system/freeze").then().statusCode(200)
                .body("frozen", is(true)).body("reason", is("incident 42")).body("frozenBy", is("admin"))
                .body("frozenAt", notNullValue());
        observer.request().get("/api/v1/system").then().statusCode(200)
                .body("frozen", is(true)).body("reason", is("incident 42"));

        // Writes by non-operators: 423.
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + task).then().statusCode(423)
                .contentType("application/problem+json").body("code", is("system-frozen"))
                .body("detail", containsString("incident 42"));
        worker.request().body(Map.of("body", "hello")).post("/api/v1/tasks/" + task + "/comments").then().statusCode(423);
        main.request().body(Map.of("title", "during the freeze")).post("/api/v1/tasks").then().statusCode(423)
                .body("code", is("system-frozen"));
        // Reads work.
        worker.request().get("/api/v1/tasks/" + task).then().statusCode(200);
        main.request().get("/api/v1/tasks").then().statusCode(200);
        observer.request().get("/api/v1/agents").then().statusCode(200);
        // Token exchange and heartbeats keep working.
        worker.request().post("/api/v1/auth/token").then().statusCode(200);
        int heartbeat = worker.request().body(Map.of("status", "idle")).post("/api/v1/agents/me/heartbeat").statusCode();
        assertThat(heartbeat).isNotEqualTo(423);
        // Operators keep writing.
        long operatorTask = Api.task(Api.agent("operator"), "operator during the freeze", worker.name());
        admin().body(Map.of("priority", "high")).patch("/api/v1/tasks/" + operatorTask).then().statusCode(200);

        // Freezing again changes nothing.
        admin().body(Map.of("reason", "another")).post("/api/v1/system/freeze").then().statusCode(200)
                .body("reason", is("incident 42"));
        assertThat(count("system.frozen")).isEqualTo(eventsBefore + 1);

        admin().post("/api/v1/system/unfreeze").then().statusCode(200)
                .body("frozen", is(false)).body("reason", nullValue()).body("frozenAt", nullValue()).body("frozenBy", nullValue());
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + task).then().statusCode(200);
        assertThat(count("system.unfrozen")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void onlyOperatorsFreezeAndAReasonIsRequired() {
        Api.agent("orchestrator").request().body(Map.of("reason", "x")).post("/api/v1/system/freeze").then().statusCode(403)
                .body("code", is("forbidden"));
        Api.agent("worker").request().post("/api/v1/system/unfreeze").then().statusCode(403);
        admin().body(Map.of()).post("/api/v1/system/freeze").then().statusCode(400).body("code", is("validation-failed"));
        admin().get("/api/v1/system").then().statusCode(200).body("frozen", is(false));
    }

    private long count(String type) {
        return pool.preparedQuery("SELECT count(*) FROM events WHERE type = $1").execute(Tuple.of(type))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }
}
