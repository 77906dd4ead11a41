package dev.olympus.metrics;

/**
 * The state of the event-stream listener (LISTEN on {@code olympus_events}), for the readiness check
 * {@link EventStreamReadiness}. The component that listens provides an {@code @ApplicationScoped} bean implementing
 * this interface; it then replaces {@link NoListener}, which reports "up" while no listener is installed.
 */
public interface ListenerStatus {

    /** @return true while this instance is listening for new events (connected and subscribed). */
    boolean listening();
}
