package dev.olympus.usage;

import dev.olympus.agent.AgentPauses;
import dev.olympus.db.Tx;
import dev.olympus.task.TaskReleases;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * What a budget does to agents, in the caller's transaction: at 100% the agents it covers become {@code paused}
 * with reason {@value #REASON} ({@link AgentPauses}) and their in_progress tasks go back to {@code todo} (still
 * assigned to them, lease ended); when no exhausted budget covers such an agent any more (raised, removed, a new
 * period) it is resumed.
 */
@ApplicationScoped
class BudgetStops {

    static final String REASON = "budget-exhausted";
    static final String ACTOR = "system";

    private final AgentPauses pauses;
    private final TaskReleases releases;

    BudgetStops(AgentPauses pauses, TaskReleases releases) {
        this.pauses = pauses;
        this.releases = releases;
    }

    /**
     * Pauses the agents the budget covers ({@code agentId} null: the system budget, every non-operator agent) that
     * are not paused yet, and releases the tasks every covered agent still has in progress, in name order (so two
     * stops lock agents in the same order).
     *
     * @param only when not null, only this agent (if covered): a later report under a budget already exhausted
     * @return the names of the agents paused now
     */
    Uni<List<String>> stop(Tx tx, Long agentId, Long only) {
        return tx.conn().preparedQuery("""
                        SELECT a.name FROM agents a
                        WHERE ($1::bigint IS NULL AND a.role <> 'operator' OR a.id = $1::bigint) AND a.state <> 'killed'
                          AND ($2::bigint IS NULL OR a.id = $2::bigint)
                        ORDER BY a.name
                        """)
                .execute(Tuple.of(agentId, only))
                .chain(rows -> Multi.createFrom().iterable(names(rows))
                        .onItem().transformToUniAndConcatenate(name -> pauses.pause(tx, name, REASON, ACTOR)
                                .call(() -> releases.releaseInProgressKeepingAssignee(tx, name, ACTOR,
                                        "Released: a budget covering " + name + " is exhausted; the task stays assigned"
                                                + " and can be claimed again once the agent is resumed."))
                                .map(paused -> paused ? name : null))
                        .filter(name -> name != null)
                        .collect().asList());
    }

    /** Resumes agents paused by a budget that no exhausted budget covers any more. @return their names */
    Uni<List<String>> resumeReleased(Tx tx) {
        return tx.conn().preparedQuery("""
                        SELECT a.name FROM agents a
                        WHERE a.state = 'paused' AND a.state_reason = '%s'
                          AND NOT EXISTS (SELECT 1 FROM budgets b WHERE b.exhausted
                                          AND (b.agent_id = a.id OR (b.agent_id IS NULL AND a.role <> 'operator')))
                        ORDER BY a.name
                        """.formatted(REASON))
                .execute()
                .chain(rows -> Multi.createFrom().iterable(names(rows))
                        .onItem().transformToUniAndConcatenate(name -> pauses.resume(tx, name, ACTOR).map(resumed -> name))
                        .collect().asList());
    }

    private static List<String> names(RowSet<Row> rows) {
        List<String> names = new ArrayList<>();
        rows.forEach(row -> names.add(row.getString("name")));
        return names;
    }
}
