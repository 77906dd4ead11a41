package dev.olympus.ratelimit;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** /q/openapi documents the guard rails: RateLimit fields, Retry-After on 429, Idempotency-Key on POST. */
@QuarkusTest
class GuardRailsOpenApiTest {

    @Test
    void theHeadersAndCodesAreDocumented() {
        JsonPath doc = RestAssured.given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath();
        assertThat(doc.getMap("components.headers")).containsKeys("RateLimit", "RateLimit-Policy", "Retry-After");

        Map<String, Object> create = doc.getMap("paths.'/api/v1/tasks'.post");
        List<Map<String, Object>> parameters = doc.getList("paths.'/api/v1/tasks'.post.parameters");
        assertThat(parameters).anySatisfy(p -> {
            assertThat(p.get("name")).isEqualTo("Idempotency-Key");
            assertThat(p.get("in")).isEqualTo("header");
        });
        assertThat(create).isNotNull();
        assertThat(doc.getMap("paths.'/api/v1/tasks'.post.responses.'429'.headers")).containsKeys("Retry-After", "RateLimit");
        assertThat(doc.getString("paths.'/api/v1/tasks'.post.responses.'409'.description"))
                .contains("duplicate-task").contains("idempotency-key-in-flight");
        assertThat(doc.getString("paths.'/api/v1/tasks'.post.responses.'422'.description")).contains("idempotency-key-reused");
        assertThat(doc.getMap("paths.'/api/v1/tasks'.get.responses.'200'.headers")).containsKeys("RateLimit", "RateLimit-Policy");
        assertThat(doc.getMap("paths.'/api/v1/tasks'.post.responses.'400'.headers")).containsKeys("RateLimit", "RateLimit-Policy");
        assertThat(doc.getMap("paths.'/api/v1/tasks'.post.responses.'401'")).doesNotContainKey("headers");
        assertThat(doc.getList("paths.'/api/v1/tasks'.get.parameters.name")).doesNotContain("Idempotency-Key");
    }
}
