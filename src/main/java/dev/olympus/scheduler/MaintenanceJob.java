package dev.olympus.scheduler;

import dev.olympus.metrics.OlympusMetrics;
import dev.olympus.agent.AgentLiveness;
import dev.olympus.task.TaskMaintenance;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import dev.olympus.usage.BudgetService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;

/**
 * Every {@code olympus.scheduler.interval}, on the leader only (see {@link Leadership}): agents that missed their
 * heartbeat, leases that expired (flag, then requeue), tasks blocked too long, attention flags whose cause is
 * gone, budget periods that ended, and canceled holdings past their use. Every step is idempotent, so a run that overlaps another (a leader that lost its connection mid-run) does
 * no harm. Time is PostgreSQL's {@code now()}, the clock every instance shares.
 */
@ApplicationScoped
public class MaintenanceJob {

    /** What one run did. */
    public record Run(int agentsMarked, int cleared, int leasesFlagged, int requeued, int blockedFlagged, int questionsFlagged) {}

    private final SchedulerConfig config;
    private final Leadership leadership;
    private final AgentLiveness agents;
    private final TaskMaintenance tasks;
    private final SchedulerStatus status;
    private final OlympusMetrics metrics;
    private final Clock clock;
    private final BudgetService budgets;

    public MaintenanceJob(SchedulerConfig config, Leadership leadership, AgentLiveness agents, TaskMaintenance tasks,
                          SchedulerStatus status, OlympusMetrics metrics, BudgetService budgets) {
        this.budgets = budgets;
        this.config = config;
        this.leadership = leadership;
        this.agents = agents;
        this.tasks = tasks;
        this.status = status;
        this.metrics = metrics;
        this.clock = Clock.systemUTC();
    }

    @Scheduled(identity = "olympus-maintenance", every = "${olympus.scheduler.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        return leadership.acquire()
                .chain(leader -> leader ? run().replaceWithVoid() : Uni.createFrom().voidItem())
                .onFailure().recoverWithNull(); // logged by run(); the next tick tries again
    }

    /** One maintenance run (the leader's tick; tests may call it directly). */
    public Uni<Run> run() {
        Instant started = clock.instant();
        return agents.markMissed()
                .chain(marked -> tasks.clearResolvedAttention()
                        .chain(cleared -> tasks.flagExpiredLeases()
                                .chain(flagged -> tasks.requeueExpiredLeases()
                                        .chain(requeued -> tasks.flagUnansweredQuestions()
                                                .chain(unanswered -> tasks.flagStaleBlocked()
                                                        .map(blocked -> new Run(marked, cleared, flagged, requeued, blocked,
                                                                unanswered)))))))
                // Budgets whose period ended start afresh; the agents they stopped are resumed.
                .call(run -> budgets.rollPeriods())
                // Forgets the canceled holdings that tell their former holders nothing any more.
                .call(run -> tasks.purgeCanceledHoldings().invoke(purged -> {
                    if (purged > 0) {
                        Log.debugf("Scheduler: %d canceled holding(s) forgotten", purged);
                    }
                }))
                .invoke(run -> {
                    status.ran(clock.instant(), clock.millis() - started.toEpochMilli(), run);
                    metrics.schedulerRan();
                    if (run.agentsMarked() + run.cleared() + run.leasesFlagged() + run.requeued() + run.blockedFlagged()
                            + run.questionsFlagged() > 0) {
                        Log.infof("Scheduler: %d agent(s) unresponsive, %d lease(s) expired, %d task(s) requeued, "
                                        + "%d stale blockage(s), %d unanswered question(s), %d attention flag(s) cleared",
                                run.agentsMarked(), run.leasesFlagged(), run.requeued(), run.blockedFlagged(),
                                run.questionsFlagged(), run.cleared());
                    }
                })
                .onFailure().invoke(e -> {
                    status.failed();
                    Log.warnf("Scheduler run failed (%s); the next tick tries again", e.getMessage());
                });
    }
}
