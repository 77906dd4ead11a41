package dev.olympus.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Observability settings ({@code olympus.metrics.*}). */
@ConfigMapping(prefix = "olympus.metrics")
public interface MetricsConfig {

    /** How often the state gauges (olympus_tasks, olympus_tasks_attention, olympus_agents) are re-read from the database. */
    @WithDefault("15s")
    Duration refreshInterval();

    /** The most buckets one velocity query may produce; more is a 400. */
    @WithDefault("2000")
    int velocityMaxBuckets();
}
