package dev.olympus.usage;

import dev.olympus.auth.Caller;
import dev.olympus.db.Transactions;
import dev.olympus.db.Tx;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Records a usage report and enforces the budgets it counts against, in one transaction.
 *
 * <p>Exact across instances: the report first locks its budgets ({@code FOR UPDATE}, system then agent), so two
 * reports counting against one budget are applied one after the other, each against the spend the other left. The
 * report that reaches 100% stops the covered agents in the same transaction; a report that was waiting for the lock
 * then finds its task released and is refused (403), so the spend recorded past a budget is at most that one report.
 *
 * <p>Callers record usage in a transaction of its own, before the heartbeat or PATCH it came with: the budget lock
 * is then always taken before any task row lock (a stop locks tasks after the budget), so the two cannot deadlock.
 */
@ApplicationScoped
public class UsageRecorder {

    /** Statuses in which a task is held by its assignee (started, not finished, not given back). */
    private static final Set<String> HELD = Set.of("in_progress", "in_review", "blocked");

    private final Transactions transactions;
    private final BudgetRepository budgets;
    private final BudgetStops stops;
    private final UsageMetrics metrics;

    UsageRecorder(Transactions transactions, BudgetRepository budgets, BudgetStops stops, UsageMetrics metrics) {
        this.transactions = transactions;
        this.budgets = budgets;
        this.stops = stops;
        this.metrics = metrics;
    }

    /**
     * Records {@code usage} of {@code caller}, attributed to {@code taskId} when not null.
     *
     * @throws ProblemException 404 when the task does not exist, 403 when the caller does not hold it
     */
    public Uni<Void> record(Caller caller, Long taskId, Usage usage) {
        if (usage == null || usage.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return transactions.inTransaction(tx -> budgets.lockFor(tx.conn(), caller.agentId())
                        .call(() -> checkHeld(tx, caller, taskId))
                        .chain(locked -> rollStale(tx, locked))
                        .call(() -> budgets.insertReport(tx.conn(), caller.agentId(), taskId, usage))
                        .chain(current -> Multi.createFrom().iterable(current)
                                .onItem().transformToUniAndConcatenate(budget -> apply(tx, caller, budget, usage.costUsd()))
                                .collect().asList()))
                .invoke(() -> metrics.recorded(caller.name(), usage))
                .replaceWithVoid();
    }

    private Uni<Void> checkHeld(Tx tx, Caller caller, Long taskId) {
        if (taskId == null) {
            return Uni.createFrom().voidItem();
        }
        return tx.conn().preparedQuery("SELECT status, assignee FROM tasks WHERE id = $1").execute(Tuple.of(taskId))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ProblemException.notFound("Task " + taskId);
                    }
                    Row task = rows.iterator().next();
                    if (!caller.name().equals(task.getString("assignee")) || !HELD.contains(task.getString("status"))) {
                        throw ProblemException.forbidden("Usage is reported on a task you hold (assigned to you and"
                                + " started); task " + taskId + " is not (was it released?). Report it without the task.");
                    }
                })
                .replaceWithVoid();
    }

    /** The locked budgets, those whose period ended started afresh. */
    private Uni<List<LockedBudget>> rollStale(Tx tx, Iterable<Row> locked) {
        List<LockedBudget> current = new ArrayList<>();
        List<Long> stale = new ArrayList<>();
        for (Row row : locked) {
            current.add(LockedBudget.from(row));
        }
        current.forEach(b -> stale.add(b.id()));
        if (current.isEmpty()) {
            return Uni.createFrom().item(current);
        }
        return budgets.roll(tx.conn(), stale.toArray(Long[]::new)).map(rolled -> {
            for (Row row : rolled) {
                LockedBudget fresh = LockedBudget.from(row);
                current.replaceAll(b -> b.id() == fresh.id() ? fresh : b);
            }
            return current;
        });
    }

    private Uni<Void> apply(Tx tx, Caller caller, LockedBudget budget, BigDecimal cost) {
        BigDecimal spent = budget.spent().add(cost);
        boolean warnNow = !budget.warned() && reached(spent, budget.cost(), 80);
        boolean exhaustedNow = !budget.exhausted() && reached(spent, budget.cost(), 100);
        boolean exhausted = budget.exhausted() || exhaustedNow;
        LockedBudget after = budget.with(spent, budget.warned() || warnNow, exhausted);
        JsonObject data = after.toJson();
        if (warnNow) {
            tx.emit(new NewEvent(EventType.BUDGET_WARNING, caller.name(), null, budget.agentName(), data.copy().put("percent", 80)));
        }
        if (exhaustedNow) {
            tx.emit(new NewEvent(EventType.BUDGET_EXHAUSTED, caller.name(), null, budget.agentName(), data.copy().put("percent", 100)));
        }
        Uni<Void> update = budgets.update(tx.conn(), budget.id(), spent, after.warned(), exhausted);
        // An exhausted budget stops what it covers; a later report stops its reporter if resumed or created since.
        if (exhaustedNow) {
            return update.call(() -> stops.stop(tx, budget.agentId(), null)).replaceWithVoid();
        }
        if (exhausted) {
            return update.call(() -> stops.stop(tx, budget.agentId(), caller.agentId())).replaceWithVoid();
        }
        return update;
    }

    static boolean reached(BigDecimal spent, BigDecimal cost, int percent) {
        return spent.multiply(BigDecimal.valueOf(100)).compareTo(cost.multiply(BigDecimal.valueOf(percent))) >= 0;
    }
}
