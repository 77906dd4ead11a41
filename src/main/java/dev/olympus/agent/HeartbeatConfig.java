package dev.olympus.agent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Agent liveness. */
@ConfigMapping(prefix = "olympus.heartbeat")
public interface HeartbeatConfig {

    /** How long past its nextHeartbeatDueAt an agent may stay silent before the scheduler marks it unresponsive. */
    @WithDefault("30s")
    Duration grace();
}
