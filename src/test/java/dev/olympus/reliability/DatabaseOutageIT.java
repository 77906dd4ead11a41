package dev.olympus.reliability;

import dev.olympus.testing.OlympusProcess;
import dev.olympus.testing.TestDatabase;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

/**
 * PostgreSQL goes away and comes back: while it is down, readiness says so and requests get a quick 503
 * problem; afterwards the instance recovers by itself, without a restart.
 */
class DatabaseOutageIT {

    private static final String ADMIN = "olk_outage-admin-key-0123456789abcdefghij";

    @Test
    void outageGives503QuicklyAndTheServiceRecoversByItself() {
        TestDatabase db = TestDatabase.startDedicated();
        Map<String, String> config = new HashMap<>(db.config());
        config.put("olympus.bootstrap-key", ADMIN);
        try (OlympusProcess instance = OlympusProcess.start(config)) {
            String location = api(instance).body(Map.of("title", "before the outage")).post("/api/v1/tasks")
                    .then().statusCode(201).extract().header("Location");
            String path = location.substring(location.indexOf("/api/"));

            db.stop();
            for (int i = 0; i < 20; i++) {
                long started = System.nanoTime();
                var response = api(instance).get(path);
                long millis = (System.nanoTime() - started) / 1_000_000;
                // A cached credential may still be known; either way nothing hangs and nothing is a 500.
                assertThat(response.statusCode()).as(response.asString()).isIn(503, 401);
                assertThat(response.contentType()).startsWith("application/problem+json");
                assertThat(millis).as("answer time while the database is down").isLessThan(5_000);
            }
            RestAssured.given().baseUri(instance.baseUrl()).get("/q/health/ready").then().statusCode(503);
            RestAssured.given().baseUri(instance.baseUrl()).get("/q/health/live").then().statusCode(200);

            db.restart();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    api(instance).get(path).then().statusCode(200).body("title", is("before the outage")));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    RestAssured.given().baseUri(instance.baseUrl()).get("/q/health/ready").then().statusCode(200));
            api(instance).body(Map.of("title", "after the outage")).post("/api/v1/tasks").then().statusCode(201);
            assertThat(instance.isAlive()).isTrue();
        }
    }

    private static RequestSpecification api(OlympusProcess instance) {
        return RestAssured.given().baseUri(instance.baseUrl()).header("Authorization", "Bearer " + ADMIN)
                .contentType(ContentType.JSON);
    }
}
