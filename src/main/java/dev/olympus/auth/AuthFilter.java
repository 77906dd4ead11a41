package dev.olympus.auth;

import dev.olympus.web.ProblemException;
import dev.olympus.web.ProblemMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every API request before it reaches a resource: 401 without a valid credential,
 * 403 {@code agent-killed} for a killed agent. Permission rules that depend on the resource live in
 * the services.
 */
public class AuthFilter {

    private final Authenticator authenticator;
    private final CurrentCaller currentCaller;

    public AuthFilter(Authenticator authenticator, CurrentCaller currentCaller) {
        this.authenticator = authenticator;
        this.currentCaller = currentCaller;
    }

    @ServerRequestFilter(priority = 100)
    public Uni<Response> authenticate(HttpServerRequest request) {
        return authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION))
                .map(caller -> {
                    currentCaller.set(caller);
                    return (Response) null;
                })
                .onFailure(ProblemException.class)
                .recoverWithItem(e -> ProblemMapper.toResponse((ProblemException) e, request));
    }
}
