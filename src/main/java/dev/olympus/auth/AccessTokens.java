package dev.olympus.auth;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Clock;
import java.util.Set;
import java.util.UUID;

/**
 * Signs and verifies access tokens (RS256 JWTs). Claims: {@code iss}, {@code sub} and {@code upn} (the agent's
 * name), {@code groups} (its role), {@code key_id} (the API key it was exchanged from), {@code gen} (the agent's
 * credential generation, bumped by every kill), {@code iat}, {@code exp}, {@code jti}.
 *
 * <p>Verification uses an explicit key, issuer and algorithm: expired, tampered, wrong-issuer and
 * {@code alg: none} tokens fail. What a valid signature cannot tell (key revoked, agent killed) is checked by
 * {@link Authenticator} against the agent's current state.
 */
@ApplicationScoped
public class AccessTokens {

    /** Tolerated clock difference between the instance that issued a token and the one verifying it. */
    static final int CLOCK_SKEW_SECONDS = 5;

    public static final String KEY_ID_CLAIM = "key_id";
    public static final String GENERATION_CLAIM = "gen";

    /** What a verified token says. */
    public record Claims(String agent, String keyId, int generation, long issuedAt, long expiresAt) {}

    /** A freshly issued token. */
    public record Issued(String token, long expiresIn) {}

    private final JWTParser parser;
    private final JwtKeys keys;
    private final JwtConfig config;
    private final Clock clock;
    private volatile JWTAuthContextInfo context;

    public AccessTokens(JWTParser parser, JwtKeys keys, JwtConfig config) {
        this.parser = parser;
        this.keys = keys;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    public Issued issue(Caller caller, int generation) {
        long now = clock.instant().getEpochSecond();
        long lifespan = config.lifespan().toSeconds();
        String token = Jwt.issuer(config.issuer())
                .subject(caller.name())
                .upn(caller.name())
                .groups(Set.of(caller.role().wire()))
                .claim(KEY_ID_CLAIM, caller.keyId())
                .claim(GENERATION_CLAIM, generation)
                .claim(org.eclipse.microprofile.jwt.Claims.jti.name(), UUID.randomUUID().toString())
                .issuedAt(now)
                .expiresAt(now + lifespan)
                .jws().keyId(keys.keyId()).algorithm(SignatureAlgorithm.RS256)
                .sign(keys.privateKey());
        return new Issued(token, lifespan);
    }

    /** @throws ParseException when the token is not one this service issued and still valid */
    public Claims verify(String token) throws ParseException {
        JsonWebToken jwt = parser.parse(token, context());
        String keyId = string(jwt.getClaim(KEY_ID_CLAIM));
        Integer generation = integer(jwt.getClaim(GENERATION_CLAIM));
        if (jwt.getSubject() == null || keyId == null || generation == null || jwt.getIssuedAtTime() <= 0) {
            throw new ParseException("The token lacks claims this service always issues");
        }
        return new Claims(jwt.getSubject(), keyId, generation, jwt.getIssuedAtTime(), jwt.getExpirationTime());
    }

    /** True while {@code claims} has not expired (for tokens verified earlier and kept in a cache). */
    public boolean current(Claims claims) {
        return clock.instant().getEpochSecond() < claims.expiresAt() + CLOCK_SKEW_SECONDS;
    }

    private JWTAuthContextInfo context() {
        JWTAuthContextInfo current = context;
        if (current == null) {
            current = new JWTAuthContextInfo(keys.publicKey(), config.issuer());
            current.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256));
            current.setClockSkew(CLOCK_SKEW_SECONDS);
            current.setExpGracePeriodSecs(0);
            current.setMaxTimeToLiveSecs(config.lifespan().toSeconds() + CLOCK_SKEW_SECONDS);
            context = current;
        }
        return current;
    }

    private static String string(Object claim) {
        if (claim instanceof JsonString s) {
            return s.getString();
        }
        return claim instanceof String s ? s : null;
    }

    private static Integer integer(Object claim) {
        if (claim instanceof JsonNumber n) {
            return n.isIntegral() ? n.intValue() : null;
        }
        return claim instanceof Number n ? n.intValue() : null;
    }
}
