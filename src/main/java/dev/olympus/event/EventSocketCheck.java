package dev.olympus.event;

import dev.olympus.auth.Authenticator;
import dev.olympus.auth.Caller;
import dev.olympus.web.ProblemException;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;

import java.util.List;
import java.util.Map;

/**
 * Authenticates the event WebSocket's upgrade like any REST request ({@code Authorization: Bearer ...}, or the
 * {@code access_token} query parameter for browsers, which cannot set headers) and checks its parameters. A refused
 * upgrade gets the HTTP status of the problem: 400 bad parameter, 401 bad credential, 403 killed agent, 429 over the
 * per-agent connection cap, 503 database unreachable.
 */
@ApplicationScoped
public class EventSocketCheck implements HttpUpgradeCheck {

    private final Authenticator authenticator;
    private final ConnectionQuota quota;

    public EventSocketCheck(Authenticator authenticator, ConnectionQuota quota) {
        this.authenticator = authenticator;
        this.quota = quota;
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return EventSocket.ENDPOINT.equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        Long after;
        try {
            after = EventService.parseCursor("after", request.getParam("after"));
        } catch (ProblemException e) {
            return CheckResult.rejectUpgrade(e.status());
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String token = request.getParam("access_token");
        Uni<Caller> caller = header == null && token != null
                ? authenticator.authenticateCredential(token.trim())
                : authenticator.authenticate(header);
        return caller.map(who -> {
                    EventFilter filter = EventFilter.of(who, request.getParam("type"), request.getParam("assignee"));
                    if (!quota.hasRoomFor(who.name())) {
                        return CheckResult.rejectUpgradeSync(429);
                    }
                    context.userData().put(EventSocket.SUBSCRIPTION, new Subscription(who, after, filter));
                    context.userData().put(EventSocket.ON_CLOSED, UpgradeDrain.onClosed(request));
                    return CheckResult.permitUpgradeSync();
                })
                .onFailure(ProblemException.class).recoverWithItem(failure -> {
                    ProblemException problem = (ProblemException) failure;
                    Map<String, List<String>> headers = problem.headers().entrySet().stream()
                            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
                    return CheckResult.rejectUpgradeSync(problem.status(), headers);
                })
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("Event stream upgrade failed: %s", failure.toString());
                    return CheckResult.rejectUpgradeSync(503);
                });
    }
}
