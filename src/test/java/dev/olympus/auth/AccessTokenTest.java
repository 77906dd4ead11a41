package dev.olympus.auth;

import dev.olympus.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import static dev.olympus.testing.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.*;

@QuarkusTest
class AccessTokenTest {

    @Inject
    JwtKeys keys;

    @Test
    void anApiKeyIsExchangedForATokenThatWorksEverywhere() {
        var worker = Api.agent("worker");
        var response = worker.request().post("/api/v1/auth/token").then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("tokenType", is("Bearer"))
                .body("expiresIn", is(900))
                .body("agent.name", is(worker.name()))
                .body("agent.role", is("worker"))
                .extract();
        String token = response.path("accessToken");
        assertThat(token).doesNotStartWith("olk_").contains(".");

        Map<String, Object> claims = claims(token);
        assertThat(claims).containsEntry("sub", worker.name()).containsEntry("upn", worker.name())
                .containsEntry("iss", "olympus").containsKeys("jti", "key_id", "gen");
        assertThat(claims.get("groups").toString()).contains("worker");
        assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue()).isEqualTo(900);
        assertThat(header(token)).containsEntry("alg", "RS256");

        Api.as(token).get("/api/v1/agents/me").then().statusCode(200).body("name", is(worker.name()));
        Api.as(token).get("/api/v1/tasks").then().statusCode(200);
    }

    @Test
    void anAccessTokenCannotBeExchangedForAnother() {
        String token = token(Api.agent("observer").key());
        Api.as(token).post("/api/v1/auth/token").then().statusCode(403).body("code", is("forbidden"));
    }

    @Test
    void expiredTamperedForeignAndUnsignedTokensAre401() {
        var worker = Api.agent("worker");
        String token = token(worker.key());
        Map<String, Object> claims = claims(token);
        String keyId = (String) claims.get("key_id");
        long now = Instant.now().getEpochSecond();

        String expired = Jwt.issuer("olympus").subject(worker.name()).upn(worker.name()).groups(Set.of("worker"))
                .claim("key_id", keyId).claim("gen", 0).issuedAt(now - 1000).expiresAt(now - 100)
                .jws().sign(keys.privateKey());
        String wrongIssuer = Jwt.issuer("someone-else").subject(worker.name()).groups(Set.of("worker"))
                .claim("key_id", keyId).claim("gen", 0).issuedAt(now).expiresAt(now + 600)
                .jws().sign(keys.privateKey());
        String foreignKey = Jwt.issuer("olympus").subject(worker.name()).groups(Set.of("worker"))
                .claim("key_id", keyId).claim("gen", 0).issuedAt(now).expiresAt(now + 600)
                .jws().sign(JwtKeys.generate().getPrivate());
        String[] parts = token.split("\\.");
        String tamperedPayload = b64(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"worker\"", "\"operator\""));
        String tampered = parts[0] + "." + tamperedPayload + "." + parts[2];
        String unsigned = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        String flippedSignature = parts[0] + "." + parts[1] + "." + (parts[2].startsWith("A") ? "B" : "A") + parts[2].substring(1);

        for (String bad : new String[]{expired, wrongIssuer, foreignKey, tampered, unsigned, flippedSignature, "a.b.c", "not-a-token"}) {
            Api.as(bad).get("/api/v1/tasks").then().statusCode(401)
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .contentType("application/problem+json")
                    .body("code", is("unauthorized"));
        }
        // The genuine token still works: nothing above poisoned a cache.
        Api.as(token).get("/api/v1/tasks").then().statusCode(200);
    }

    @Test
    void revokingTheKeyKillsItsTokens() {
        var worker = Api.agent("worker");
        String keyId = admin().get("/api/v1/agents/" + worker.name() + "/keys").then().statusCode(200)
                .extract().path("items[0].keyId");
        String token = token(worker.key());
        Api.as(token).get("/api/v1/tasks").then().statusCode(200);

        admin().delete("/api/v1/agents/" + worker.name() + "/keys/" + keyId).then().statusCode(204);

        Api.as(token).get("/api/v1/tasks").then().statusCode(401).body("code", is("unauthorized"));
        worker.request().get("/api/v1/tasks").then().statusCode(401);
        worker.request().post("/api/v1/auth/token").then().statusCode(401);
    }

    @Test
    void tokensIssuedBeforeAKillStayInvalidAfterTheRevive() {
        var worker = Api.agent("worker");
        String before = token(worker.key());

        admin().body(Map.of("reason", "misbehaving")).post("/api/v1/agents/" + worker.name() + "/kill").then().statusCode(200);
        Api.as(before).get("/api/v1/tasks").then().statusCode(403).body("code", is("agent-killed"));
        worker.request().post("/api/v1/auth/token").then().statusCode(403).body("code", is("agent-killed"));

        admin().post("/api/v1/agents/" + worker.name() + "/revive").then().statusCode(200).body("state", is("active"));
        worker.request().get("/api/v1/tasks").then().statusCode(200);
        String after = token(worker.key());
        Api.as(after).get("/api/v1/tasks").then().statusCode(200);
        Api.as(before).get("/api/v1/tasks").then().statusCode(401).body("code", is("unauthorized"))
                .body("detail", containsString("before the agent was killed"));
    }

    @Test
    void garbageCredentialsAre401() {
        for (String bad : new String[]{"olk_short", "olk_" + "x".repeat(300), "x".repeat(9000), "Basic abc"}) {
            Api.as(bad).get("/api/v1/tasks").then().statusCode(401).body("code", is("unauthorized"));
        }
        RestAssured.given().header("Authorization", "Basic YWRtaW46YWRtaW4=").get("/api/v1/tasks").then().statusCode(401);
        RestAssured.given().header("Authorization", "Bearer ").get("/api/v1/tasks").then().statusCode(401);
    }

    @Test
    void onlyTokenShapedCredentialsAreParsed() {
        String token = token(Api.agent("worker").key());
        assertThat(Authenticator.looksLikeToken(token)).isTrue();
        // Refused before any parsing: not three base64url parts, or a header that is not a JSON object.
        for (String bad : new String[]{"a.b.c", "not-a-token", "eyJ.a b.c", "eyJhbGci.e30", "eyJ.a.b.c", "eyJ+/.a.b",
                token.substring(1), token.replace('.', '!')}) {
            assertThat(Authenticator.looksLikeToken(bad)).as(bad).isFalse();
            Api.as(bad).get("/api/v1/tasks").then().statusCode(401).body("code", is("unauthorized"));
        }
    }

    static String token(String apiKey) {
        return Api.as(apiKey).post("/api/v1/auth/token").then().statusCode(200).extract().path("accessToken");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> claims(String token) {
        return new io.vertx.core.json.JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                StandardCharsets.UTF_8)).getMap();
    }

    static Map<String, Object> header(String token) {
        return new io.vertx.core.json.JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]),
                StandardCharsets.UTF_8)).getMap();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
