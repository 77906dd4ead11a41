package dev.olympus.usage;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.Arrays;

/** SQL of usage reports, usage totals and budgets (the only writer of those tables). */
@ApplicationScoped
class BudgetRepository {

    /** The start of the current period of budget {@code b}, in UTC. */
    static final String CURRENT_PERIOD = "date_trunc(b.period, now(), 'UTC')";

    private static final String SELECT = "SELECT " + Budget.COLUMNS + ", a.name AS agent_name FROM budgets b"
            + " LEFT JOIN agents a ON a.id = b.agent_id";

    /**
     * Locks the budgets a report of agent {@code agentId} counts against: the system budget first, then the agent's,
     * always in this order (no deadlock between two reports).
     */
    Uni<RowSet<Row>> lockFor(SqlClient client, long agentId) {
        return client.preparedQuery(SELECT + " WHERE b.agent_id IS NULL OR b.agent_id = $1"
                        + " ORDER BY b.agent_id NULLS FIRST FOR UPDATE OF b")
                .execute(Tuple.of(agentId));
    }

    /** The system budget (agentName null) or an agent's, locked; empty when there is none. */
    Uni<RowSet<Row>> lock(SqlClient client, String agentName) {
        return agentName == null
                ? client.preparedQuery(SELECT + " WHERE b.agent_id IS NULL FOR UPDATE OF b").execute()
                : client.preparedQuery(SELECT + " WHERE a.name = $1 FOR UPDATE OF b").execute(Tuple.of(agentName));
    }

    Uni<RowSet<Row>> find(SqlClient client, String agentName) {
        return agentName == null
                ? client.preparedQuery(SELECT + " WHERE b.agent_id IS NULL").execute()
                : client.preparedQuery(SELECT + " WHERE a.name = $1").execute(Tuple.of(agentName));
    }

    /**
     * Starts a new period for budgets whose period has ended (all of them when {@code ids} is null): spent is what
     * was reported since the new period began, warning and stop are reset. @return the rolled budgets
     */
    Uni<RowSet<Row>> roll(SqlClient client, Long[] ids) {
        return client.preparedQuery("""
                        UPDATE budgets b SET period_start = %1$s, warned = false, exhausted = false,
                               spent_usd = (SELECT coalesce(sum(r.cost_usd), 0) FROM usage_reports r
                                            WHERE r.reported_at >= %1$s AND (b.agent_id IS NULL OR r.agent_id = b.agent_id))
                        WHERE b.period_start < %1$s AND ($1::bigint[] IS NULL OR b.id = ANY($1))
                        RETURNING %2$s, (SELECT name FROM agents a WHERE a.id = b.agent_id) AS agent_name
                        """.formatted(CURRENT_PERIOD, Budget.COLUMNS))
                .execute(Tuple.of(ids));
    }

    Uni<Void> update(SqlClient client, long id, BigDecimal spent, boolean warned, boolean exhausted) {
        return client.preparedQuery("UPDATE budgets SET spent_usd = $2, warned = $3, exhausted = $4 WHERE id = $1")
                .execute(Tuple.of(id, spent, warned, exhausted))
                .replaceWithVoid();
    }

    /**
     * Creates or replaces a budget (agentId null: the system's). Spent is what was reported in the current period;
     * the warning and the stop are decided again from it. @return the budget
     */
    Uni<Row> upsert(SqlClient client, Long agentId, BigDecimal cost, String period, String by) {
        return client.preparedQuery("""
                        WITH spent AS (
                            SELECT date_trunc($3, now(), 'UTC') AS start,
                                   (SELECT coalesce(sum(r.cost_usd), 0) FROM usage_reports r
                                    WHERE r.reported_at >= date_trunc($3, now(), 'UTC')
                                      AND ($1::bigint IS NULL OR r.agent_id = $1::bigint)) AS usd),
                        updated AS (
                            UPDATE budgets b SET cost_usd = $2::numeric, period = $3, period_start = spent.start, spent_usd = spent.usd,
                                   warned = spent.usd * 5 >= $2::numeric * 4, exhausted = spent.usd >= $2::numeric,
                                   updated_by = $4, updated_at = now()
                            FROM spent WHERE b.agent_id IS NOT DISTINCT FROM $1::bigint
                            RETURNING b.*),
                        inserted AS (
                            INSERT INTO budgets (agent_id, cost_usd, period, period_start, spent_usd, warned, exhausted, updated_by)
                            SELECT $1::bigint, $2::numeric, $3, spent.start, spent.usd, spent.usd * 5 >= $2::numeric * 4, spent.usd >= $2::numeric, $4
                            FROM spent WHERE NOT EXISTS (SELECT 1 FROM updated)
                            RETURNING *)
                        SELECT %1$s FROM updated b UNION ALL SELECT %1$s FROM inserted b
                        """.formatted(Budget.COLUMNS))
                .execute(Tuple.from(Arrays.asList(agentId, cost, period, by)))
                .map(rows -> rows.iterator().next());
    }

    /** @return whether there was a budget */
    Uni<Boolean> delete(SqlClient client, Long agentId) {
        return client.preparedQuery("DELETE FROM budgets WHERE agent_id IS NOT DISTINCT FROM $1")
                .execute(Tuple.of(agentId))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Stores one report and adds it to the totals of its agent and task. */
    Uni<Void> insertReport(SqlClient client, long agentId, Long taskId, Usage usage) {
        return client.preparedQuery("""
                        WITH report AS (
                            INSERT INTO usage_reports (agent_id, task_id, input_tokens, output_tokens, cost_usd, model)
                            VALUES ($1, $2, $3, $4, $5, $6) RETURNING id),
                        agent_total AS (
                            INSERT INTO agent_usage AS u (agent_id, input_tokens, output_tokens, cost_usd)
                            VALUES ($1, $3, $4, $5)
                            ON CONFLICT (agent_id) DO UPDATE SET input_tokens = u.input_tokens + excluded.input_tokens,
                                output_tokens = u.output_tokens + excluded.output_tokens, cost_usd = u.cost_usd + excluded.cost_usd
                            RETURNING 1),
                        task_total AS (
                            INSERT INTO task_usage AS u (task_id, input_tokens, output_tokens, cost_usd)
                            SELECT $2, $3, $4, $5 WHERE $2::bigint IS NOT NULL
                            ON CONFLICT (task_id) DO UPDATE SET input_tokens = u.input_tokens + excluded.input_tokens,
                                output_tokens = u.output_tokens + excluded.output_tokens, cost_usd = u.cost_usd + excluded.cost_usd
                            RETURNING 1)
                        SELECT (SELECT id FROM report)
                        """)
                .execute(Tuple.from(Arrays.asList(agentId, taskId, usage.inputTokens(), usage.outputTokens(),
                        usage.costUsd(), usage.model())))
                .replaceWithVoid();
    }
}
