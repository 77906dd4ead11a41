package dev.olympus.usage;

import dev.olympus.auth.Caller;
import dev.olympus.auth.Role;
import dev.olympus.db.Transactions;
import dev.olympus.db.Tx;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Setting and removing budgets (operators), and the period rollover the scheduler runs. A change takes the budget's
 * lock like a report does, decides warning and stop from the current period's spend, and in the same transaction
 * stops the covered agents (a budget set below what is spent) or resumes those no exhausted budget covers any more
 * (a raised or removed budget).
 */
@ApplicationScoped
public class BudgetService {

    private final Transactions transactions;
    private final BudgetRepository budgets;
    private final BudgetStops stops;

    BudgetService(Transactions transactions, BudgetRepository budgets, BudgetStops stops) {
        this.transactions = transactions;
        this.budgets = budgets;
        this.stops = stops;
    }

    /** @param agent the agent's name, or null for the system budget */
    public Uni<Budget> get(String agent) {
        return agentExists(transactions.pool(), agent)
                .chain(() -> budgets.find(transactions.pool(), agent))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ProblemException.notFound(agent == null ? "System budget" : "Budget of agent " + agent);
                    }
                    return Budget.from(rows.iterator().next(), agent);
                });
    }

    public Uni<Budget> put(Caller caller, String agent, BudgetRequest request) {
        requireOperator(caller);
        return transactions.inTransaction(tx -> agentId(tx, agent)
                .chain(agentId -> budgets.lock(tx.conn(), agent)
                        .chain(before -> budgets.upsert(tx.conn(), agentId, request.costUsd(), request.period(), caller.name())
                                .call(row -> react(tx, caller, agentId, agent, before.rowCount() == 0 ? null
                                        : LockedBudget.from(before.iterator().next()), row))
                                .map(row -> Budget.from(row, agent)))));
    }

    public Uni<Void> delete(Caller caller, String agent) {
        requireOperator(caller);
        return transactions.inTransaction(tx -> agentId(tx, agent)
                .chain(agentId -> budgets.lock(tx.conn(), agent)
                        .chain(() -> budgets.delete(tx.conn(), agentId))
                        .invoke(deleted -> {
                            if (!deleted) {
                                throw ProblemException.notFound(agent == null ? "System budget" : "Budget of agent " + agent);
                            }
                        })
                        .call(() -> stops.resumeReleased(tx))
                        .replaceWithVoid()));
    }

    /** The scheduler's step: budgets whose period ended start afresh, and the agents they stopped are resumed. */
    public Uni<Integer> rollPeriods() {
        return transactions.inTransaction(tx -> budgets.roll(tx.conn(), null)
                .chain(rolled -> rolled.rowCount() == 0 ? Uni.createFrom().item(0)
                        : stops.resumeReleased(tx).map(resumed -> rolled.rowCount())));
    }

    private Uni<Void> react(Tx tx, Caller caller, Long agentId, String agent, LockedBudget before, Row row) {
        LockedBudget after = LockedBudget.from(row, agent);
        boolean samePeriod = before != null && before.periodStart().equals(after.periodStart());
        if (after.warned() && !(samePeriod && before.warned())) {
            tx.emit(new NewEvent(EventType.BUDGET_WARNING, caller.name(), null, agent, after.toJson().put("percent", 80)));
        }
        if (after.exhausted()) {
            if (!(samePeriod && before.exhausted())) {
                tx.emit(new NewEvent(EventType.BUDGET_EXHAUSTED, caller.name(), null, agent, after.toJson().put("percent", 100)));
            }
            return stops.stop(tx, agentId, null).replaceWithVoid();
        }
        return stops.resumeReleased(tx).replaceWithVoid();
    }

    /** Checked before the body is read: 403 comes before 400 for callers that may never do this. */
    public static void requireOperator(Caller caller) {
        if (!caller.is(Role.OPERATOR)) {
            throw ProblemException.forbidden("Only operators set budgets.");
        }
    }

    /** The agent's id (null for the system budget); 404 when there is no such agent. */
    private Uni<Long> agentId(Tx tx, String agent) {
        if (agent == null) {
            return Uni.createFrom().nullItem();
        }
        return tx.conn().preparedQuery("SELECT id FROM agents WHERE name = $1").execute(Tuple.of(agent))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ProblemException.notFound("Agent " + agent);
                    }
                    return rows.iterator().next().getLong("id");
                });
    }

    private Uni<Void> agentExists(io.vertx.mutiny.sqlclient.SqlClient client, String agent) {
        if (agent == null) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("SELECT 1 FROM agents WHERE name = $1").execute(Tuple.of(agent))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ProblemException.notFound("Agent " + agent);
                    }
                }).replaceWithVoid();
    }
}
