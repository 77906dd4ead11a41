package dev.olympus.auth;

import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * Turns an {@code Authorization} header into a {@link Caller}, or a 401/403 problem.
 * Shared by REST and WebSocket upgrades so both authenticate the same way.
 *
 * <p>A credential starting with {@code olk_} is an API key; anything else is tried as an access token. Both end in
 * the same check of the key's current record (from {@link CredentialCache}, so usually without a database round
 * trip): a revoked key (or a token exchanged from it) is a 401; a killed agent is a 403 {@code agent-killed}; a
 * token issued before the agent's latest kill is a 401 even after a revive.
 */
@ApplicationScoped
public class Authenticator {

    /** Longest credential considered at all: anything longer is garbage, refused before any work. */
    private static final int MAX_TOKEN_LENGTH = 8192;

    private final CredentialCache cache;
    private final AccessTokens tokens;

    public Authenticator(CredentialCache cache, AccessTokens tokens) {
        this.cache = cache;
        this.tokens = tokens;
    }

    public Uni<Caller> authenticate(String authorization) {
        String credential = bearer(authorization);
        if (credential == null) {
            return Uni.createFrom().failure(ProblemException.unauthorized(
                    "Send Authorization: Bearer with an API key (olk_...) or an access token."));
        }
        return authenticateCredential(credential);
    }

    public Uni<Caller> authenticateCredential(String credential) {
        if (credential == null) {
            return Uni.createFrom().failure(invalid());
        }
        if (credential.startsWith(ApiKeys.PREFIX)) {
            if (!ApiKeys.looksLikeKey(credential)) {
                // Rejected before any hashing or database work: garbage costs nothing.
                return Uni.createFrom().failure(invalid());
            }
            return cache.byHash(ApiKeys.hash(credential)).map(record -> check(record, 0, 0));
        }
        return authenticateToken(credential);
    }

    private Uni<Caller> authenticateToken(String token) {
        if (!looksLikeToken(token)) {
            return Uni.createFrom().failure(invalid());
        }
        AccessTokens.Claims claims = cache.verifiedToken(token);
        if (claims == null) {
            try {
                claims = tokens.verify(token);
            } catch (ParseException e) {
                return Uni.createFrom().failure(ProblemException.unauthorized("The access token is invalid or expired."));
            }
            cache.rememberToken(token, claims);
        } else if (!tokens.current(claims)) {
            return Uni.createFrom().failure(ProblemException.unauthorized("The access token is invalid or expired."));
        }
        AccessTokens.Claims verified = claims;
        return cache.byKeyId(verified.keyId()).map(record -> {
            if (record.isPresent() && !record.get().agent().equals(verified.agent())) {
                throw invalid();
            }
            Caller caller = check(record, verified.issuedAt(), verified.expiresAt());
            if (verified.generation() != record.get().generation()) {
                throw ProblemException.unauthorized(
                        "The access token was issued before the agent was killed; exchange the API key for a new one.");
            }
            return caller;
        });
    }

    /**
     * Whether a credential can be one of our access tokens at all, checked before any parsing: a JWS in compact
     * form (three base64url parts) whose header is a JSON object, so its encoding starts with {@code eyJ}
     * ({@code {"}). Garbage with two dots is refused here as cheaply as any other garbage.
     */
    static boolean looksLikeToken(String token) {
        if (token.length() > MAX_TOKEN_LENGTH || !token.startsWith("eyJ")) {
            return false;
        }
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                dots++;
            } else if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return dots == 2;
    }

    /** The current generation of the agent behind an API key (for issuing access tokens). */
    public Uni<Integer> generation(Caller caller) {
        return cache.byKeyId(caller.keyId()).map(record -> {
            check(record, 0, 0);
            return record.get().generation();
        });
    }

    private static Caller check(Optional<KeyRecord> found, long issuedAt, long expiresAt) {
        if (found.isEmpty() || found.get().revoked()) {
            throw invalid();
        }
        KeyRecord record = found.get();
        if (record.killed()) {
            throw killed(record.agent());
        }
        return record.caller(issuedAt, expiresAt);
    }

    public static ProblemException killed(String agent) {
        return new ProblemException(403, ProblemCode.AGENT_KILLED, "Agent killed",
                "Agent '" + agent + "' has been killed by an operator.");
    }

    private static ProblemException invalid() {
        return ProblemException.unauthorized("The credential is not valid.");
    }

    static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String credential = value.substring(7).trim();
        return credential.isEmpty() ? null : credential;
    }
}
