package dev.olympus.task;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Task leases: how long a claim holds a task, and what happens when its holder falls silent. */
@ConfigMapping(prefix = "olympus.lease")
public interface LeaseConfig {

    /** How long a claim (or a move to in_progress) holds the task; renewed by the holder's heartbeat and writes. */
    @WithDefault("5m")
    Duration duration();

    /** How long after its lease expired an in_progress task goes back to todo (the scheduler does it). */
    @WithDefault("10m")
    Duration requeueAfter();

    /** Whether a requeued task keeps its assignee (false: it goes back to the pool, unassigned). */
    @WithDefault("false")
    boolean requeueKeepAssignee();

    /**
     * How long a task canceled while an agent held it is remembered for that agent: its next heartbeat lists the task
     * in {@code canceledTaskIds} and its later writes on it get 409 {@code task-canceled}. The scheduler deletes older
     * records, and sooner those already reported whose task was reopened or canceled again.
     */
    @WithDefault("7d")
    Duration canceledHoldingRetention();

    /** Seconds, as SQL's make_interval wants them. */
    static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
