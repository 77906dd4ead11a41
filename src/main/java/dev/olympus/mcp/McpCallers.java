package dev.olympus.mcp;

import dev.olympus.auth.Caller;
import dev.olympus.web.ProblemException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The caller of the current MCP request, as {@link McpAuthentication} authenticated it. The MCP server activates a
 * request context for each feature call and makes the HTTP request that carried it current, so tools, resources and
 * prompts reach the caller here.
 */
@ApplicationScoped
public class McpCallers {

    private final CurrentVertxRequest request;

    public McpCallers(CurrentVertxRequest request) {
        this.request = request;
    }

    public Caller current() {
        RoutingContext ctx = request.getCurrent();
        Caller caller = ctx == null ? null : ctx.get(McpAuthentication.CALLER);
        if (caller == null) {
            throw ProblemException.unauthorized("No credential was presented.");
        }
        return caller;
    }
}
