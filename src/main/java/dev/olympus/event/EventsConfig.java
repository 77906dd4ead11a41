package dev.olympus.event;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The event stream's settings ({@code olympus.events.*}); each one has a row in README's Configuration table. */
@ConfigMapping(prefix = "olympus.events")
public interface EventsConfig {

    /** Events are kept at least this long; a scheduled cleanup deletes older ones. */
    @WithDefault("30d")
    Duration retention();

    /** How often the retention cleanup runs (on one instance at a time). */
    @WithDefault("1h")
    Duration cleanupInterval();

    /**
     * Events a WebSocket connection may have waiting to be written before the client counts as too slow and is
     * closed (it resumes from its cursor).
     */
    @WithDefault("1000")
    int maxBufferedPerConnection();

    /** Open WebSocket connections one agent may hold on one instance; more are refused with 429. */
    @WithDefault("16")
    int maxConnectionsPerAgent();

    /**
     * The dispatcher's safety net: besides every notification, it re-reads the log at this interval, so that a
     * lost notification delays an event by at most this long.
     */
    @WithDefault("5s")
    Duration pollInterval();
}
