package dev.olympus.agent;

import dev.olympus.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.olympus.testing.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.*;

@QuarkusTest
class ApiKeysTest {

    @Test
    void anAgentHoldsSeveralKeysAndEachIsRevokedOnItsOwn() {
        var worker = Api.agent("worker");
        var created = admin().post("/api/v1/agents/" + worker.name() + "/keys").then().statusCode(201)
                .header("Location", containsString("/api/v1/agents/" + worker.name() + "/keys/key_"))
                .body("keyId", startsWith("key_"))
                .body("apiKey", startsWith("olk_"))
                .extract();
        String secondKey = created.path("apiKey");
        String secondId = created.path("keyId");
        // 256 random bits, base64url: at least 192 bits of randomness as the contract asks.
        assertThat(secondKey.length() - 4).isGreaterThanOrEqualTo(43);
        assertThat(secondKey).isNotEqualTo(worker.key());

        worker.request().get("/api/v1/agents/me").then().statusCode(200);
        Api.as(secondKey).get("/api/v1/agents/me").then().statusCode(200).body("name", is(worker.name()));

        admin().get("/api/v1/agents/" + worker.name() + "/keys").then().statusCode(200)
                .body("items", hasSize(2))
                .body("items.keyId", hasItem(secondId))
                .body("items.revokedAt", everyItem(nullValue()))
                .body(not(containsString("olk_")));

        admin().delete("/api/v1/agents/" + worker.name() + "/keys/" + secondId).then().statusCode(204);
        Api.as(secondKey).get("/api/v1/agents/me").then().statusCode(401).body("code", is("unauthorized"));
        worker.request().get("/api/v1/agents/me").then().statusCode(200);
        // DELETE is idempotent; unknown keys and other agents' keys are not found.
        admin().delete("/api/v1/agents/" + worker.name() + "/keys/" + secondId).then().statusCode(204);
        admin().delete("/api/v1/agents/" + worker.name() + "/keys/key_nope").then().statusCode(404);
        var other = Api.agent("worker");
        admin().delete("/api/v1/agents/" + other.name() + "/keys/" + secondId).then().statusCode(404);
        admin().post("/api/v1/agents/no-such-agent/keys").then().statusCode(404);

        admin().queryParam("limit", 1).get("/api/v1/agents/" + worker.name() + "/keys").then().statusCode(200)
                .body("items", hasSize(1)).body("nextCursor", notNullValue());
        admin().get("/api/v1/agents/" + worker.name() + "/keys").then()
                .body("items.find { it.keyId == '" + secondId + "' }.revokedAt", notNullValue());
    }

    @Test
    void keysArePagedOldestFirst() {
        var worker = Api.agent("worker");
        for (int i = 0; i < 3; i++) {
            admin().post("/api/v1/agents/" + worker.name() + "/keys").then().statusCode(201);
        }
        var first = admin().queryParam("limit", 2).get("/api/v1/agents/" + worker.name() + "/keys").then().statusCode(200)
                .body("items", hasSize(2)).extract();
        var second = admin().queryParam("limit", 2).queryParam("cursor", (String) first.path("nextCursor"))
                .get("/api/v1/agents/" + worker.name() + "/keys").then().statusCode(200)
                .body("items", hasSize(2)).body("nextCursor", nullValue()).extract();
        assertThat(second.<java.util.List<String>>path("items.keyId"))
                .doesNotContainAnyElementsOf(first.<java.util.List<String>>path("items.keyId"));
    }

    @Test
    void onlyOperatorsManageKeys() {
        var worker = Api.agent("worker");
        worker.request().post("/api/v1/agents/" + worker.name() + "/keys").then().statusCode(403).body("code", is("forbidden"));
        worker.request().get("/api/v1/agents/me/keys").then().statusCode(403);
        Api.agent("orchestrator").request().delete("/api/v1/agents/" + worker.name() + "/keys/x").then().statusCode(403);
    }

    @Test
    void meIsReservedAndNamesTheCaller() {
        admin().body(Map.of("name", "me", "role", "worker")).post("/api/v1/agents").then().statusCode(400)
                .body("errors.field", hasItem("name"));
        admin().get("/api/v1/agents/me").then().statusCode(200).body("name", is("admin")).body("role", is("operator"));
    }
}
