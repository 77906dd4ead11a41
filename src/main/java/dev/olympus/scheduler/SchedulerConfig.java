package dev.olympus.scheduler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The maintenance scheduler. */
@ConfigMapping(prefix = "olympus.scheduler")
public interface SchedulerConfig {

    /** How often the leader runs the maintenance (also read by {@code @Scheduled} as {@code olympus.scheduler.interval}). */
    @WithDefault("15s")
    Duration interval();

    /** Whether this instance takes part in the leader election at all. */
    @WithDefault("true")
    boolean enabled();
}
