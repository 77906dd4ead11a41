package dev.olympus;

import dev.olympus.testing.OlympusProcess;
import dev.olympus.testing.TestDatabase;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** Two packaged instances on one new database: a race-free first start, and one shared state. */
class TwoInstancesIT {

    private static final String ADMIN_KEY = "olk_it-admin-key-0123456789abcdefghijklmn";

    @Test
    void twoInstancesStartingTogetherCreateOneAdminAndShareTasks() {
        Map<String, String> config = new HashMap<>(TestDatabase.get().newDatabase("two"));
        config.put("olympus.bootstrap-key", ADMIN_KEY);
        try (OlympusProcess a = OlympusProcess.launch(config); OlympusProcess b = OlympusProcess.launch(config)) {
            a.awaitReady(Duration.ofSeconds(60));
            b.awaitReady(Duration.ofSeconds(60));

            RestAssured.given().baseUri(b.baseUrl()).header("Authorization", "Bearer " + ADMIN_KEY)
                    .get("/api/v1/agents").then().statusCode(200)
                    .body("items", hasSize(1)).body("items[0].name", is("admin"));

            String location = RestAssured.given().baseUri(a.baseUrl()).header("Authorization", "Bearer " + ADMIN_KEY)
                    .contentType(ContentType.JSON).body(Map.of("title", "shared", "labels", List.of("it")))
                    .post("/api/v1/tasks").then().statusCode(201).extract().header("Location");
            String path = location.substring(location.indexOf("/api/"));
            RestAssured.given().baseUri(b.baseUrl()).header("Authorization", "Bearer " + ADMIN_KEY)
                    .get(path).then().statusCode(200).body("title", is("shared"));
        }
    }
}
