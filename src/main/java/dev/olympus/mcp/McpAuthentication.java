package dev.olympus.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.olympus.auth.Authenticator;
import dev.olympus.auth.Caller;
import dev.olympus.web.Problem;
import dev.olympus.web.ProblemException;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Authenticates every request to the MCP endpoint ({@code /mcp} and the paths below it) with the same
 * {@link Authenticator} as REST, before the MCP server sees the request: 401 without a valid credential, 403
 * {@code agent-killed} for a killed agent, both as problem+json. The caller is stored on the routing context, where
 * {@link McpCallers} finds it during the tool call.
 *
 * <p>Every HTTP request is authenticated on its own, including the ones inside an MCP session: a session id carries
 * no authority, so a credential that is revoked or an agent that is killed loses access with its next request.
 */
@ApplicationScoped
public class McpAuthentication {

    static final String CALLER = McpAuthentication.class.getName() + ".caller";

    /**
     * Before the MCP server's routes (registered without an order, so Vert.x numbers them from 0 up) and after
     * Quarkus's own early handlers (upload limit at -2).
     */
    static final int ORDER = -1;

    private final Authenticator authenticator;
    private final ObjectMapper mapper;

    public McpAuthentication(Authenticator authenticator, ObjectMapper mapper) {
        this.authenticator = authenticator;
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.routeWithRegex("^/mcp(/.*)?$").order(ORDER).handler(this::authenticate);
    }

    void authenticate(RoutingContext ctx) {
        if (ctx.request().method() == HttpMethod.OPTIONS) {
            // CORS preflights carry no credential by design.
            ctx.next();
            return;
        }
        // Hold the body until the MCP route's body handler reads it (it resumes the request).
        ctx.request().pause();
        authenticator.authenticate(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))
                .subscribe().with(caller -> proceed(ctx, caller), failure -> refuse(ctx, failure));
    }

    private static void proceed(RoutingContext ctx, Caller caller) {
        ctx.put(CALLER, caller);
        ctx.next();
    }

    private void refuse(RoutingContext ctx, Throwable failure) {
        ProblemException problem = McpProblems.toProblem(failure);
        HttpServerResponse response = ctx.response();
        if (response.ended()) {
            return;
        }
        String body;
        try {
            body = mapper.writeValueAsString(Problem.of(problem, ctx.request().path()));
        } catch (JsonProcessingException e) {
            Log.errorf(e, "Cannot write a problem");
            body = "{\"status\":" + problem.status() + ",\"code\":\"" + problem.code() + "\"}";
        }
        response.setStatusCode(problem.status());
        problem.headers().forEach(response::putHeader);
        response.putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        ctx.request().resume();
        response.end(body);
    }
}
