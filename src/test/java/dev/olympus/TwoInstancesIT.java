package dev.olympus;

import dev.olympus.testing.TwoInstances;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** Two packaged instances on one new database: a race-free first start, and one shared state. */
class TwoInstancesIT {

    private static final String ADMIN_KEY = "olk_it-admin-key-0123456789abcdefghijklmn";

    /** Started together, so that both race through the first start. */
    @RegisterExtension
    static final TwoInstances OLYMPUS = TwoInstances.onNewDatabase("two").adminKey(ADMIN_KEY);

    @Test
    void twoInstancesStartingTogetherCreateOneAdminAndShareTasks() {
        RestAssured.given().baseUri(OLYMPUS.b().baseUrl()).header("Authorization", "Bearer " + ADMIN_KEY)
                .get("/api/v1/agents").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].name", is("admin"));

        String location = RestAssured.given().baseUri(OLYMPUS.a().baseUrl()).header("Authorization", "Bearer " + ADMIN_KEY)
                .contentType(ContentType.JSON).body(Map.of("title", "shared", "labels", List.of("it")))
                .post("/api/v1/tasks").then().statusCode(201).extract().header("Location");
        String path = location.substring(location.indexOf("/api/"));
        RestAssured.given().baseUri(OLYMPUS.b().baseUrl()).header("Authorization", "Bearer " + ADMIN_KEY)
                .get(path).then().statusCode(200).body("title", is("shared"));
    }
}
