package dev.olympus.event;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The cap on an agent's event-stream connections to this instance ({@code olympus.events.max-connections-per-agent}):
 * the upgrade check asks for room, an opened connection takes a place, and its close gives the place back.
 */
@ApplicationScoped
class ConnectionQuota {

    private final EventsConfig config;
    private final ConcurrentHashMap<String, Integer> connectionsPerAgent = new ConcurrentHashMap<>();

    ConnectionQuota(EventsConfig config) {
        this.config = config;
    }

    int max() {
        return config.maxConnectionsPerAgent();
    }

    /** True while {@code agent} may open one more connection here (checked at the upgrade; reserved on open). */
    boolean hasRoomFor(String agent) {
        return connectionsPerAgent.getOrDefault(agent, 0) < max();
    }

    /** Counts one more connection of {@code agent}; false (nothing counted) when it is at its cap. */
    boolean reserve(String agent) {
        boolean[] reserved = {false};
        connectionsPerAgent.compute(agent, (name, count) -> {
            int current = count == null ? 0 : count;
            if (current >= max()) {
                return count;
            }
            reserved[0] = true;
            return current + 1;
        });
        return reserved[0];
    }

    void release(String agent) {
        connectionsPerAgent.computeIfPresent(agent, (name, count) -> count <= 1 ? null : count - 1);
    }
}
