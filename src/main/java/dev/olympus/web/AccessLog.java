package dev.olympus.web;

import dev.olympus.auth.CurrentCaller;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.regex.Pattern;

/**
 * One DEBUG line per HTTP request in the category {@code dev.olympus.access}:
 * {@code agent=<name|-> method=GET path=/api/v1/tasks status=200 durationMs=3.1}.
 * Switched on with {@code quarkus.log.category."dev.olympus.access".level=DEBUG}; when it is off the handler costs
 * one level check. The path is logged without its query string (a browser's WebSocket carries its token there), and
 * anything in the path that looks like an API key or a JWT is masked: no credential ever reaches a log line.
 */
@ApplicationScoped
public class AccessLog {

    static final Logger LOG = Logger.getLogger("dev.olympus.access");
    /** Routing-context key under which the REST layer leaves the authenticated agent's name. */
    static final String AGENT = "olympus.agent";
    private static final Pattern CREDENTIAL = Pattern.compile("olk_[A-Za-z0-9_-]+|eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_.-]+");

    private final CurrentCaller caller;

    public AccessLog(CurrentCaller caller) {
        this.caller = caller;
    }

    void install(@Observes Router router) {
        // Before every other handler (BodyLimit is -1000), so refusals made there are logged too.
        router.route().order(-2000).handler(this::observe);
    }

    private void observe(RoutingContext ctx) {
        if (LOG.isDebugEnabled()) {
            long start = System.nanoTime();
            ctx.addEndHandler(ignored -> {
                Object agent = ctx.get(AGENT);
                LOG.debugf("agent=%s method=%s path=%s status=%d durationMs=%.1f",
                        agent == null ? "-" : agent, ctx.request().method(), safePath(ctx.request().path()),
                        ctx.response().getStatusCode(), (System.nanoTime() - start) / 1_000_000.0);
            });
        }
        ctx.next();
    }

    /** Leaves the caller's name where the access line can read it once the response has ended. */
    @ServerResponseFilter
    public void rememberAgent(RoutingContext ctx) {
        if (!LOG.isDebugEnabled()) {
            return;
        }
        try {
            ctx.put(AGENT, caller.get().name());
        } catch (ProblemException | ContextNotActiveException notAuthenticated) {
            // no caller: the line says "-"
        }
    }

    static String safePath(String path) {
        return path == null ? "-" : CREDENTIAL.matcher(path).replaceAll("***");
    }
}
