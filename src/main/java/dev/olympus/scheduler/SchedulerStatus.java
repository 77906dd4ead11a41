package dev.olympus.scheduler;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this instance's scheduler did: whether it leads, when it last ran, and running totals of its actions.
 * Read by metrics (gauges and counters) and logs; written only by {@link MaintenanceJob}.
 */
@ApplicationScoped
public class SchedulerStatus {

    private final Leadership leadership;
    private volatile Instant lastRunAt;
    private volatile long lastRunMillis;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong agentsMarkedUnresponsive = new AtomicLong();
    private final AtomicLong leasesExpired = new AtomicLong();
    private final AtomicLong tasksRequeued = new AtomicLong();
    private final AtomicLong blockedFlagged = new AtomicLong();
    private final AtomicLong attentionCleared = new AtomicLong();

    public SchedulerStatus(Leadership leadership) {
        this.leadership = leadership;
    }

    /** 1 on the instance that runs the maintenance now, 0 elsewhere. */
    public boolean leader() { return leadership.isLeader(); }
    /** When this instance last completed a maintenance run (null: never). */
    public Instant lastRunAt() { return lastRunAt; }
    public long lastRunMillis() { return lastRunMillis; }
    public long runs() { return runs.get(); }
    public long failures() { return failures.get(); }
    public long agentsMarkedUnresponsive() { return agentsMarkedUnresponsive.get(); }
    public long leasesExpired() { return leasesExpired.get(); }
    public long tasksRequeued() { return tasksRequeued.get(); }
    public long blockedFlagged() { return blockedFlagged.get(); }
    public long attentionCleared() { return attentionCleared.get(); }

    void ran(Instant at, long millis, MaintenanceJob.Run run) {
        lastRunAt = at;
        lastRunMillis = millis;
        runs.incrementAndGet();
        agentsMarkedUnresponsive.addAndGet(run.agentsMarked());
        leasesExpired.addAndGet(run.leasesFlagged());
        tasksRequeued.addAndGet(run.requeued());
        blockedFlagged.addAndGet(run.blockedFlagged());
        attentionCleared.addAndGet(run.cleared());
    }

    void failed() {
        failures.incrementAndGet();
    }
}
