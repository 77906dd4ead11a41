package dev.olympus.usage;

import dev.olympus.db.Rows;
import io.vertx.mutiny.sqlclient.Row;

import java.math.BigDecimal;

/**
 * The usage and budget columns of a task ({@code tasks t}) and an agent ({@code agents a}) as their repositories
 * select them, and how to read them back.
 */
public final class UsageColumns {

    /**
     * A task's cumulative usage as one array {@code usage}: input tokens, output tokens, cost (null when nothing was
     * reported; read with {@link UsageTotals#fromArray}). One probe per task: it is in every task a list shows.
     */
    public static final String TASK = """
            (SELECT ARRAY[u.input_tokens, u.output_tokens, u.cost_usd] FROM task_usage u WHERE u.task_id = t.id) AS usage""";

    /** The budget period that applies to agent {@code a}. */
    private static final String PERIOD = """
            coalesce((SELECT b.period FROM budgets b WHERE b.agent_id = a.id),
                     (SELECT b.period FROM budgets b WHERE b.agent_id IS NULL), 'day')""";

    /** Whether the agent's budget row is of the current period (else it reads as a fresh, unspent period). */
    private static final String CURRENT = "b.period_start >= date_trunc(b.period, now(), 'UTC')";

    /** An agent's cumulative usage, its current period's usage and its own budget. */
    public static final String AGENT = """
            (SELECT u.input_tokens FROM agent_usage u WHERE u.agent_id = a.id) AS usage_input_tokens,
            (SELECT u.output_tokens FROM agent_usage u WHERE u.agent_id = a.id) AS usage_output_tokens,
            (SELECT u.cost_usd FROM agent_usage u WHERE u.agent_id = a.id) AS usage_cost_usd,
            %1$s AS period_name,
            date_trunc(%1$s, now(), 'UTC') AS period_start,
            (SELECT ARRAY[coalesce(sum(r.input_tokens), 0), coalesce(sum(r.output_tokens), 0), coalesce(sum(r.cost_usd), 0)]
             FROM usage_reports r WHERE r.agent_id = a.id AND r.reported_at >= date_trunc(%1$s, now(), 'UTC')) AS period_usage,
            (SELECT ARRAY[b.cost_usd, CASE WHEN %2$s THEN b.spent_usd ELSE 0 END,
                          (%2$s AND b.warned)::int, (%2$s AND b.exhausted)::int]
             FROM budgets b WHERE b.agent_id = a.id) AS budget_numbers,
            (SELECT b.period FROM budgets b WHERE b.agent_id = a.id) AS budget_period,
            (SELECT date_trunc(b.period, now(), 'UTC') FROM budgets b WHERE b.agent_id = a.id) AS budget_period_start"""
            .formatted(PERIOD, CURRENT);

    private UsageColumns() {}

    public static PeriodUsage periodUsage(Row row) {
        BigDecimal[] sums = row.getArrayOfBigDecimals("period_usage");
        return new PeriodUsage(sums[0].longValueExact(), sums[1].longValueExact(), UsageTotals.money(sums[2]),
                row.getString("period_name"), Rows.instant(row, "period_start"));
    }

    /** The agent's own budget, or null. */
    public static Budget budget(Row row, String agent) {
        BigDecimal[] numbers = row.getArrayOfBigDecimals("budget_numbers");
        if (numbers == null) {
            return null;
        }
        return new Budget(agent, UsageTotals.money(numbers[0]), row.getString("budget_period"),
                Rows.instant(row, "budget_period_start"), UsageTotals.money(numbers[1]),
                numbers[2].signum() > 0, numbers[3].signum() > 0);
    }
}
