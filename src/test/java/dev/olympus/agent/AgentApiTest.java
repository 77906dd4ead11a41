package dev.olympus.agent;

import dev.olympus.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.olympus.testing.Api.admin;
import static org.hamcrest.Matchers.*;

@QuarkusTest
class AgentApiTest {

    @Test
    void operatorCreatesAnAgentAndItsKeyWorks() {
        String name = Api.uniqueName("worker");
        var created = admin().body(Map.of("name", name, "role", "worker", "capabilities", java.util.List.of("java")))
                .post("/api/v1/agents")
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/agents/" + name))
                .body("agent.name", is(name))
                .body("agent.role", is("worker"))
                .body("agent.state", is("active"))
                .body("agent.heartbeatIntervalSeconds", is(3600))
                .body("apiKey", startsWith("olk_"))
                .body("keyId", startsWith("key_"))
                .extract();
        String key = created.path("apiKey");
        Api.as(key).get("/api/v1/agents/" + name).then().statusCode(200).body("capabilities", contains("java"));
    }

    @Test
    void takenNameIsAConflict() {
        var agent = Api.agent("worker");
        admin().body(Map.of("name", agent.name(), "role", "worker")).post("/api/v1/agents")
                .then().statusCode(409).contentType("application/problem+json").body("code", is("agent-exists"));
    }

    @Test
    void invalidNamesAndRolesAreValidationProblems() {
        admin().body(Map.of("name", "Bad Name", "role", "worker")).post("/api/v1/agents")
                .then().statusCode(400).body("code", is("validation-failed")).body("errors.field", hasItem("name"));
        admin().body(Map.of("name", "fine-name", "role", "king")).post("/api/v1/agents")
                .then().statusCode(400).body("code", is("validation-failed")).body("errors.field", hasItem("role"));
    }

    @Test
    void onlyOperatorsCreateAgents() {
        var orchestrator = Api.agent("orchestrator");
        orchestrator.request().body(Map.of("name", Api.uniqueName("x"), "role", "worker")).post("/api/v1/agents")
                .then().statusCode(403).body("code", is("forbidden"));
    }

    @Test
    void missingOrUnknownCredentialIs401WithChallenge() {
        io.restassured.RestAssured.given().get("/api/v1/agents")
                .then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"))
                .contentType("application/problem+json").body("code", is("unauthorized"));
        Api.as("olk_not-a-real-key-000000000000000000000").get("/api/v1/agents")
                .then().statusCode(401).body("code", is("unauthorized"));
    }

    @Test
    void listIsPagedByName() {
        for (int i = 0; i < 3; i++) {
            Api.agent("observer");
        }
        var first = admin().queryParam("limit", 2).get("/api/v1/agents").then().statusCode(200)
                .body("items", hasSize(2)).body("nextCursor", notNullValue()).extract();
        admin().queryParam("limit", 2).queryParam("cursor", (String) first.path("nextCursor")).get("/api/v1/agents")
                .then().statusCode(200).body("items[0].name", greaterThan((String) first.path("items[1].name")));
    }
}
