package dev.olympus.system;

import dev.olympus.auth.CurrentCaller;
import dev.olympus.auth.Role;
import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import dev.olympus.web.ProblemMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Set;

/**
 * While the system is frozen, refuses every write by a non-operator with 423 {@code system-frozen}. Runs right after
 * {@code AuthFilter} (priority 100), so the caller is known, and before anything that would change state. The check
 * reads the state from memory ({@link Freeze#current()}).
 */
public class FreezeFilter {

    /** Writes that keep working while frozen: staying alive and getting a token change nothing anyone relies on. */
    static final Set<String> ALWAYS_ALLOWED = Set.of("/api/v1/agents/me/heartbeat", "/api/v1/auth/token");

    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final Freeze freeze;
    private final CurrentCaller caller;

    public FreezeFilter(Freeze freeze, CurrentCaller caller) {
        this.freeze = freeze;
        this.caller = caller;
    }

    @ServerRequestFilter(priority = 110)
    public Uni<Response> refuseWritesWhileFrozen(HttpServerRequest request) {
        if (READS.contains(request.method()) || ALWAYS_ALLOWED.contains(trimmed(request.path()))
                || caller.get().is(Role.OPERATOR)) {
            return Uni.createFrom().nullItem();
        }
        return freeze.current().map(state -> state.frozen() ? ProblemMapper.toResponse(frozen(state), request) : null);
    }

    /** The 423 a write by a non-operator gets while {@code state} is frozen (also used by the MCP tools). */
    public static ProblemException frozen(SystemState state) {
        return new ProblemException(423, ProblemCode.SYSTEM_FROZEN, "System frozen",
                "An operator froze the system" + (state.reason() == null ? "" : ": " + state.reason())
                        + ". Writes are refused until it is unfrozen.")
                .with("frozenAt", state.frozenAt() == null ? null : state.frozenAt().toString())
                .with("frozenBy", state.frozenBy());
    }

    private static String trimmed(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
