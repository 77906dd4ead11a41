package dev.olympus;

import dev.olympus.testing.OlympusProcess;
import dev.olympus.testing.TestDatabase;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * The packaged application as operators run it: JSON log lines when switched on by configuration, the access log
 * in them, no credential anywhere in the log, and the reactive pool's meters at /q/metrics.
 */
class ObservabilityIT {

    private static final String ADMIN_KEY = "olk_it-observability-key-0123456789abcdefgh";

    @Test
    void jsonLogsAccessLinesAndPoolMeters() {
        Map<String, String> config = new HashMap<>(TestDatabase.get().newDatabase("obs"));
        config.put("olympus.bootstrap-key", ADMIN_KEY);
        config.put("olympus.db.pool-size", "7");
        config.put("quarkus.log.console.json.enabled", "true");
        config.put("quarkus.log.category.\"dev.olympus.access\".level", "DEBUG");
        try (OlympusProcess app = OlympusProcess.start(config)) {
            RestAssured.given().baseUri(app.baseUrl()).header("Authorization", "Bearer " + ADMIN_KEY)
                    .get("/api/v1/metrics/velocity").then().statusCode(200);
            RestAssured.given().baseUri(app.baseUrl()).queryParam("access_token", ADMIN_KEY)
                    .get("/api/v1/tasks").then().statusCode(401);
            // The reactive pool (olympus.db.pool-size=7) is the one behind sql_pool_*.
            RestAssured.given().baseUri(app.baseUrl()).get("/q/metrics").then().statusCode(200)
                    .body(containsString("sql_pool_idle{pool_name=\"__vertx.DEFAULT\",pool_type=\"sql\"} 7.0"))
                    .body(containsString("sql_pool_active{"));

            await().atMost(Duration.ofSeconds(10)).until(() -> app.log().contains("/api/v1/tasks"));
            List<String> lines = app.log().lines().filter(l -> !l.isBlank()).toList();
            // Every line from the application is one JSON object (the JVM's own warnings are not ours).
            List<JsonObject> json = lines.stream().filter(l -> l.startsWith("{")).map(JsonObject::new).toList();
            assertThat(json).hasSizeGreaterThan(3);
            assertThat(lines).filteredOn(l -> l.contains("dev.olympus")).allMatch(l -> l.startsWith("{"));
            assertThat(json).anySatisfy(line -> {
                assertThat(line.getString("loggerName")).isEqualTo("dev.olympus.access");
                assertThat(line.getString("level")).isEqualTo("DEBUG");
                assertThat(line.getString("message")).startsWith("agent=admin method=GET path=/api/v1/metrics/velocity status=200");
            });
            assertThat(json).anySatisfy(line -> assertThat(line.getString("message"))
                    .startsWith("agent=- method=GET path=/api/v1/tasks status=401"));
            assertThat(app.log()).doesNotContain(ADMIN_KEY.substring(4));
        }
    }
}
