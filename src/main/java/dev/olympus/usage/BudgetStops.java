package dev.olympus.usage;

import dev.olympus.db.Tx;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import dev.olympus.task.TaskReleases;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * What a budget does to agents, in the caller's transaction: at 100% the agents it covers become {@code paused}
 * with reason {@value #REASON} and their in_progress tasks go back to {@code todo} (still assigned to them, lease
 * ended); when no exhausted budget covers such an agent any more (raised, removed, a new period) it is resumed.
 */
@ApplicationScoped
class BudgetStops {

    static final String REASON = "budget-exhausted";
    static final String ACTOR = "system";

    /** Agents a budget covers: its agent (id $1), or every non-operator agent for the system budget ($1 null). */
    private static final String COVERED = "($1::bigint IS NULL AND a.role <> 'operator' OR a.id = $1::bigint)";

    private final TaskReleases releases;

    BudgetStops(TaskReleases releases) {
        this.releases = releases;
    }

    /**
     * Pauses the agents the budget covers ({@code agentId} null: the system budget) that are not paused yet, and
     * releases the tasks every covered agent is still working on. @return the names of the agents paused now
     */
    Uni<List<String>> stop(Tx tx, Long agentId, JsonObject budget) {
        return tx.conn().preparedQuery("""
                        WITH paused AS (
                            UPDATE agents a SET state = 'paused', state_reason = '%s'
                            WHERE %s AND a.state IN ('active', 'unresponsive')
                            RETURNING a.name)
                        SELECT name, true AS now_paused FROM paused
                        UNION
                        SELECT DISTINCT t.assignee, false FROM tasks t JOIN agents a ON a.name = t.assignee
                        WHERE t.status = 'in_progress' AND %s
                        """.formatted(REASON, COVERED, COVERED))
                .execute(Tuple.of(agentId))
                .chain(rows -> {
                    List<String> pausedNow = new ArrayList<>();
                    List<String> holders = new ArrayList<>();
                    for (Row row : rows) {
                        (row.getBoolean("now_paused") ? pausedNow : holders).add(row.getString("name"));
                    }
                    // The UPDATE's own rows are invisible to the SELECT of the same statement: holders among the
                    // agents paused now are found by the release itself.
                    List<String> release = new ArrayList<>(pausedNow);
                    holders.stream().filter(name -> !release.contains(name)).forEach(release::add);
                    release.sort(null);
                    return Multi.createFrom().iterable(release)
                            .onItem().transformToUniAndConcatenate(name -> releases.releaseInProgressKeepingAssignee(tx,
                                            name, ACTOR, "Released: the budget covering " + name + " is exhausted.")
                                    .invoke(ids -> {
                                        if (pausedNow.contains(name)) {
                                            tx.emit(NewEvent.agent(EventType.AGENT_PAUSED, ACTOR, name, new JsonObject()
                                                    .put("reason", REASON).put("budget", budget.copy())
                                                    .put("releasedTaskIds", new JsonArray(new ArrayList<>(ids)))));
                                        }
                                    }))
                            .collect().asList()
                            .replaceWith(pausedNow);
                });
    }

    /** Resumes agents paused by a budget that no exhausted budget covers any more. @return their names */
    Uni<List<String>> resumeReleased(Tx tx, String why) {
        return tx.conn().preparedQuery("""
                        UPDATE agents a SET state = 'active', state_reason = NULL
                        WHERE a.state = 'paused' AND a.state_reason = '%s'
                          AND NOT EXISTS (SELECT 1 FROM budgets b WHERE b.exhausted
                                          AND (b.agent_id = a.id OR (b.agent_id IS NULL AND a.role <> 'operator')))
                        RETURNING a.name
                        """.formatted(REASON))
                .execute()
                .map(rows -> {
                    List<String> names = new ArrayList<>();
                    for (Row row : rows) {
                        names.add(row.getString("name"));
                        tx.emit(NewEvent.agent(EventType.AGENT_RESUMED, ACTOR, row.getString("name"),
                                new JsonObject().put("reason", why)));
                    }
                    return names;
                });
    }
}
