package dev.olympus.health;

/**
 * The state of the event-stream listener (LISTEN on {@code olympus_events}), for the readiness check
 * {@link EventStreamReadiness}. {@link NotificationsListenerStatus} reports {@link dev.olympus.db.Notifications}'
 * connection; a feature that knows better (e.g. "subscribed and caught up") provides its own
 * {@code @ApplicationScoped} bean implementing this interface, which then replaces that default.
 */
public interface ListenerStatus {

    /** @return true while this instance is listening for new events (connected and subscribed). */
    boolean listening();
}
