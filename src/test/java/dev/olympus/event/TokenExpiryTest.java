package dev.olympus.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.olympus.auth.JwtKeys;
import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.EventClient;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A WebSocket opened with an access token ends when the token expires (4401), as the token's next request would be
 * refused; one opened with an API key stays open.
 */
@QuarkusTest
class TokenExpiryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    JwtKeys keys;

    @Test
    void aSessionOpenedWithAnAccessTokenClosesWhenTheTokenExpires() throws Exception {
        TestAgent observer = Api.agent("observer");
        String expiringToken = expiringIn(observer, Duration.ofSeconds(3));

        try (EventClient withToken = EventClient.connect(EventSocketTest.baseUrl(), expiringToken, "");
             EventClient withKey = EventClient.connect(EventSocketTest.baseUrl(), observer.key(), "")) {
            await().atMost(Duration.ofSeconds(20)).until(withToken::isClosed);

            assertThat(withToken.closeCode()).isEqualTo(EventStream.CLOSE_TOKEN_EXPIRED);
            assertThat(withToken.closeReason()).startsWith("token-expired");
            assertThat(withKey.isClosed()).isFalse();
        }
    }

    /** A token as the service issues it (same claims, key and issuer), but expiring after {@code lifespan}. */
    private String expiringIn(TestAgent agent, Duration lifespan) throws Exception {
        String issued = agent.request().post("/api/v1/auth/token").then().statusCode(200)
                .extract().path("accessToken");
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(issued.split("\\.")[1]));
        long now = Instant.now().getEpochSecond();
        Map<String, Object> copy = JSON.convertValue(claims, Map.class);
        copy.remove("iat");
        copy.remove("exp");
        return Jwt.claims(copy).issuedAt(now).expiresAt(now + lifespan.toSeconds())
                .jws().keyId(keys.keyId()).algorithm(SignatureAlgorithm.RS256).sign(keys.privateKey());
    }
}
