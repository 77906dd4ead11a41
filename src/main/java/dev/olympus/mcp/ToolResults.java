package dev.olympus.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.olympus.auth.Caller;
import dev.olympus.auth.Role;
import dev.olympus.ratelimit.RateLimitFilter;
import dev.olympus.ratelimit.RateLimiter;
import dev.olympus.system.Freeze;
import dev.olympus.system.FreezeFilter;
import dev.olympus.web.ProblemException;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.ToolResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.function.Function;

/**
 * Runs a tool's pipeline and turns its outcome into a tool result: the value as JSON text on success, and on failure
 * a tool error ({@code isError: true}) whose text is the problem as JSON, with the same {@code code} REST gives.
 * Failures thrown before the pipeline starts (permission checks in the services) are caught too. The REST filters
 * that do not live in the services apply here as well: the rate limit and, for writes, the freeze.
 */
@ApplicationScoped
public class ToolResults {

    private final McpCallers callers;
    private final Freeze freeze;
    private final RateLimiter limiter;
    private final ObjectMapper mapper;

    public ToolResults(McpCallers callers, Freeze freeze, RateLimiter limiter, ObjectMapper mapper) {
        this.callers = callers;
        this.freeze = freeze;
        this.limiter = limiter;
        this.mapper = mapper;
    }

    /** Runs a reading {@code action} as the current caller. */
    public Uni<ToolResponse> run(Function<Caller, Uni<?>> action) {
        return run(action, false);
    }

    /**
     * Runs a writing {@code action} as the current caller: while the system is frozen, a non-operator gets 423
     * {@code system-frozen}, as {@code FreezeFilter} answers a REST write.
     */
    public Uni<ToolResponse> write(Function<Caller, Uni<?>> action) {
        return run(action, true);
    }

    private Uni<ToolResponse> run(Function<Caller, Uni<?>> action, boolean writes) {
        Caller caller;
        try {
            caller = admitted();
        } catch (RuntimeException e) {
            return Uni.createFrom().item(error(e));
        }
        Uni<Void> writable = !writes || caller.is(Role.OPERATOR) ? Uni.createFrom().voidItem()
                : freeze.current().invoke(state -> {
                    if (state.frozen()) {
                        throw FreezeFilter.frozen(state);
                    }
                }).replaceWithVoid();
        return writable.chain(() -> Uni.createFrom().deferred(() -> action.apply(caller)))
                .map(this::success)
                .onFailure().recoverWithItem(this::error);
    }

    /**
     * The current caller, once it passed the per-agent rate limit: a tool call or resource read counts as one
     * request against the same budget as REST requests ({@code RateLimitFilter}).
     */
    Caller admitted() {
        Caller caller = callers.current();
        if (limiter.enabled()) {
            RateLimiter.Decision decision = limiter.acquire(caller.agentId(), caller.role());
            if (!decision.allowed()) {
                throw RateLimitFilter.limited(decision);
            }
        }
        return caller;
    }

    ToolResponse success(Object value) {
        return new ToolResponse(false, List.of(new TextContent(json(value))));
    }

    ToolResponse error(Throwable failure) {
        ProblemException problem = McpProblems.toProblem(failure);
        return new ToolResponse(true, List.of(new TextContent(json(McpProblems.body(problem)))));
    }

    String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a tool result as JSON", e);
        }
    }
}
