package dev.olympus.usage;

import dev.olympus.db.Rows;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

import java.math.BigDecimal;
import java.time.Instant;

/** A budget row as a report (or a budget change) sees it while holding its lock. */
record LockedBudget(long id, Long agentId, String agentName, BigDecimal cost, String period, Instant periodStart,
                    BigDecimal spent, boolean warned, boolean exhausted) {

    static LockedBudget from(Row row) {
        return from(row, row.getString("agent_name"));
    }

    /** A row without the agent_name column (a budget just written). */
    static LockedBudget from(Row row, String agentName) {
        return new LockedBudget(row.getLong("id"), row.getLong("agent_id"), agentName,
                row.getBigDecimal("cost_usd"), row.getString("period"), Rows.instant(row, "period_start"),
                row.getBigDecimal("spent_usd"), row.getBoolean("warned"), row.getBoolean("exhausted"));
    }

    LockedBudget with(BigDecimal newSpent, boolean newWarned, boolean newExhausted) {
        return new LockedBudget(id, agentId, agentName, cost, period, periodStart, newSpent, newWarned, newExhausted);
    }

    /** The budget as events carry it (money as JSON numbers). */
    JsonObject toJson() {
        return new JsonObject()
                .put("scope", agentId == null ? "system" : "agent")
                .put("agent", agentName)
                .put("costUsd", UsageTotals.money(cost))
                .put("spentUsd", UsageTotals.money(spent))
                .put("period", period)
                .put("periodStart", periodStart.toString());
    }
}
