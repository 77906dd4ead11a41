package dev.olympus.auth;

import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns an {@code Authorization} header into a {@link Caller}, or a 401/403 problem.
 * Shared by REST and WebSocket upgrades so both authenticate the same way.
 */
@ApplicationScoped
public class Authenticator {

    private static final String BY_KEY_HASH = """
            SELECT a.id, a.name, a.role, a.state, k.id AS key_id
            FROM api_keys k JOIN agents a ON a.id = k.agent_id
            WHERE k.key_hash = $1 AND k.revoked_at IS NULL
            """;

    private final Pool pool;

    public Authenticator(Pool pool) {
        this.pool = pool;
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
        if (!ApiKeys.looksLikeKey(credential)) {
            // Rejected before any hashing or database work: garbage costs nothing.
            return Uni.createFrom().failure(ProblemException.unauthorized("The credential is not valid."));
        }
        return pool.preparedQuery(BY_KEY_HASH).execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(ApiKeys.hash(credential))))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ProblemException.unauthorized("The credential is not valid.");
                    }
                    return toCaller(rows.iterator().next());
                });
    }

    private static Caller toCaller(Row row) {
        if ("killed".equals(row.getString("state"))) {
            throw new ProblemException(403, "agent-killed", "Agent killed",
                    "Agent '" + row.getString("name") + "' has been killed by an operator.");
        }
        return new Caller(row.getLong("id"), row.getString("name"), Role.fromWire(row.getString("role")),
                row.getString("key_id"), 0);
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
