package dev.olympus;

import dev.olympus.testing.EventClient;
import dev.olympus.testing.OlympusProcess;
import dev.olympus.testing.TestDatabase;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database configured the standard Quarkus way, with only QUARKUS_DATASOURCE_REACTIVE_URL, _USERNAME and
 * _PASSWORD (as Kubernetes manifests write them; olympus.db.* left at their defaults, which point nowhere here):
 * Flyway, the pool and the dedicated connections all reach it. Both instances are ready, one is the scheduler's
 * leader, and an event written on one reaches a subscriber of the other (LISTEN/NOTIFY). The olympus.db.* way is
 * what every other test uses.
 */
class QuarkusDatasourceIT {

    private static final String ADMIN_KEY = "olk_it-admin-key-quarkus-datasource-0123456";

    @Test
    void theQuarkusDatasourceKeysAloneConfigureEveryConnection() {
        Map<String, String> db = TestDatabase.get().newDatabase("quarkuskeys");
        Map<String, String> environment = Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + db.get("olympus.db.host") + ":" + db.get("olympus.db.port")
                        + "/" + db.get("olympus.db.name"),
                "QUARKUS_DATASOURCE_USERNAME", db.get("olympus.db.user"),
                "QUARKUS_DATASOURCE_PASSWORD", db.get("olympus.db.password"));
        Map<String, String> config = Map.of("olympus.bootstrap-key", ADMIN_KEY, "olympus.scheduler.interval", "1s");
        try (OlympusProcess a = OlympusProcess.launch(config, environment);
             OlympusProcess b = OlympusProcess.launch(config, environment)) {
            a.awaitReady(Duration.ofSeconds(90));
            b.awaitReady(Duration.ofSeconds(90));

            await().atMost(Duration.ofSeconds(30)).until(() -> leaders(a) + leaders(b) == 1);

            try (EventClient subscriber = EventClient.connect(b.baseUrl(), ADMIN_KEY, "after=0")) {
                long id = RestAssured.given().baseUri(a.baseUrl()).header("Authorization", "Bearer " + ADMIN_KEY)
                        .contentType(ContentType.JSON).body(Map.of("title", "across instances", "labels", List.of("it")))
                        .post("/api/v1/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
                await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.events().stream().anyMatch(event ->
                        "task.created".equals(event.path("type").asText()) && event.path("taskId").asLong() == id));
            }
            assertThat(a.log() + b.log()).doesNotContain("localhost:5432").doesNotContain("Connection refused");
        }
    }

    @Test
    void bothWaysGivenWithDifferentDatabasesRefuseToStartNamingTheKeys() {
        Map<String, String> db = TestDatabase.get().newDatabase("conflict");
        Map<String, String> environment = Map.of(
                "OLYMPUS_DB_HOST", db.get("olympus.db.host"),
                "OLYMPUS_DB_PORT", db.get("olympus.db.port"),
                "OLYMPUS_DB_NAME", db.get("olympus.db.name"),
                "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + db.get("olympus.db.host") + ":" + db.get("olympus.db.port")
                        + "/another_database");
        try (OlympusProcess instance = OlympusProcess.launch(Map.of(), environment)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !instance.isAlive());
            assertThat(instance.log()).contains("Conflicting database settings")
                    .contains("OLYMPUS_DB_NAME", "QUARKUS_DATASOURCE_REACTIVE_URL").doesNotContain("Migrating schema");
        }
    }

    /** 1 if the instance's scheduler holds the leadership ({@code /q/health/well}), else 0. */
    private static int leaders(OlympusProcess instance) {
        List<Map<String, Object>> checks = JsonPath.from(RestAssured.given().baseUri(instance.baseUrl())
                .get("/q/health/well").asString()).getList("checks");
        return checks.stream().anyMatch(check -> "scheduler".equals(check.get("name"))
                && Boolean.TRUE.equals(((Map<?, ?>) check.get("data")).get("leader"))) ? 1 : 0;
    }
}
