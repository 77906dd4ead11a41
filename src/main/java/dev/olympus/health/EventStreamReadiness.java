package dev.olympus.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the event stream: an instance whose listener lost its connection would accept WebSocket clients and
 * then never push them a live event, so it should not get traffic. Liveness does not include it (a restart does not
 * help while the database is away; the listener reconnects by itself, with a back-off of at most 5 s).
 */
@Readiness
@ApplicationScoped
public class EventStreamReadiness implements HealthCheck {

    static final String NAME = "event-stream-listener";

    private final ListenerStatus listener;

    public EventStreamReadiness(ListenerStatus listener) {
        this.listener = listener;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME).status(listener.listening()).build();
    }
}
