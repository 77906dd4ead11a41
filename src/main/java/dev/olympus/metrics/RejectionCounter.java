package dev.olympus.metrics;

import dev.olympus.auth.CurrentCaller;
import dev.olympus.web.Problem;
import dev.olympus.web.ProblemException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Counts refused task requests into {@code olympus_task_rejections_total{code, agent}} by observing the problem
 * responses of {@code /api/v1/tasks...} in one place: every 4xx problem counts, whatever feature refused it, so a new
 * problem code is counted without any change here. Labels stay bounded: {@code code} comes from the fixed set of
 * problem codes, {@code agent} is an authenticated agent's name (bounded by the agents table) or {@code unknown}
 * when the request was refused before its caller was known (401, or a refusal by the authentication itself).
 * A refusal that never reaches the REST layer (a Vert.x route handler) is not seen here: such code calls
 * {@link OlympusMetrics#taskRejected} itself.
 */
public class RejectionCounter {

    static final String TASKS_PATH = "/api/v1/tasks";
    static final String UNKNOWN_AGENT = "unknown";

    private final OlympusMetrics metrics;
    private final CurrentCaller caller;

    public RejectionCounter(OlympusMetrics metrics, CurrentCaller caller) {
        this.metrics = metrics;
        this.caller = caller;
    }

    @ServerResponseFilter
    public void count(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status < 400 || status >= 500 || !(response.getEntity() instanceof Problem problem) || problem.code() == null) {
            return;
        }
        String path = request.getUriInfo().getPath();
        if (!path.equals(TASKS_PATH) && !path.startsWith(TASKS_PATH + "/")) {
            return;
        }
        metrics.taskRejected(problem.code(), callerName());
    }

    private String callerName() {
        try {
            return caller.get().name();
        } catch (ProblemException | jakarta.enterprise.context.ContextNotActiveException notAuthenticated) {
            return UNKNOWN_AGENT;
        }
    }
}
