package dev.olympus.health;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

@QuarkusTest
class HealthTest {

    @Test
    void readinessChecksTheDatabaseAndTheEventStreamListener() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems("event-stream-listener", "Reactive PostgreSQL connections health check"))
                .body("checks.find { it.name == 'event-stream-listener' }.status", is("UP"));
    }

    @Test
    void livenessStaysCheap() {
        given().get("/q/health/live").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", not(hasItem("Reactive PostgreSQL connections health check")))
                .body("checks.name", not(hasItem("event-stream-listener")));
    }
}
