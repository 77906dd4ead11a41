package dev.olympus.ratelimit;

import dev.olympus.auth.Caller;
import dev.olympus.auth.CurrentCaller;
import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import dev.olympus.web.ProblemMapper;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Applies {@link RateLimiter} to every authenticated API request and writes the RateLimit fields on every
 * response to an authenticated request. Runs after {@code AuthFilter} (priority 100): the limit is per agent.
 */
public class RateLimitFilter {

    /** After authentication (100), before the features' own filters. */
    public static final int PRIORITY = 200;

    static final String DECISION = RateLimitFilter.class.getName() + ".decision";

    private final RateLimiter limiter;
    private final CurrentCaller currentCaller;

    public RateLimitFilter(RateLimiter limiter, CurrentCaller currentCaller) {
        this.limiter = limiter;
        this.currentCaller = currentCaller;
    }

    @ServerRequestFilter(priority = PRIORITY)
    public Response limit(ContainerRequestContext context, HttpServerRequest request) {
        if (!limiter.enabled()) {
            return null;
        }
        Caller caller = caller();
        if (caller == null) {
            return null;
        }
        RateLimiter.Decision decision = limiter.acquire(caller.agentId(), caller.role());
        context.setProperty(DECISION, decision);
        if (decision.allowed()) {
            return null;
        }
        return ProblemMapper.toResponse(limited(decision), request);
    }

    /** The 429 for a refused {@code decision} (also used by the MCP tools, which count against the same limit). */
    public static ProblemException limited(RateLimiter.Decision decision) {
        return new ProblemException(429, ProblemCode.RATE_LIMITED, "Too many requests",
                "Rate limit of " + decision.policy().quota() + " requests per " + decision.policy().windowSeconds()
                        + " s for your role reached. Retry in " + decision.resetSeconds() + " s.")
                .with("retryAfterSeconds", decision.resetSeconds())
                .header(RateLimitHeaders.RETRY_AFTER, Long.toString(decision.resetSeconds()));
    }

    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        MultivaluedMap<String, Object> headers = response.getHeaders();
        TaskCreationGuard.BudgetState budget = TaskCreationGuard.recalled();
        if (budget != null) {
            RateLimitHeaders.append(headers, RateLimitHeaders.POLICY, budget.policyItem());
            RateLimitHeaders.append(headers, RateLimitHeaders.LIMIT, budget.limitItem());
        }
        if (!limiter.enabled()) {
            return;
        }
        RateLimiter.Decision decision = request.getProperty(DECISION) instanceof RateLimiter.Decision d ? d : null;
        if (decision == null) {
            // An earlier filter answered before the limiter ran: report the state without counting.
            Caller caller = caller();
            if (caller == null) {
                return;
            }
            decision = limiter.peek(caller.agentId(), caller.role());
        }
        RateLimitHeaders.append(headers, RateLimitHeaders.POLICY, decision.policyItem());
        RateLimitHeaders.append(headers, RateLimitHeaders.LIMIT, decision.limitItem());
    }

    /** The authenticated caller, or null when the request carries none (AuthFilter then answered 401). */
    private Caller caller() {
        try {
            return currentCaller.get();
        } catch (ProblemException e) {
            return null;
        }
    }
}
