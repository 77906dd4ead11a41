package dev.olympus.usage;

import dev.olympus.db.Rows;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Instant;

/** A budget and how much of its current period is spent. */
@RegisterForReflection
@Schema(name = "Budget")
public record Budget(
        @Schema(description = "null for the system budget") String agent,
        @Schema(description = "USD per period, exact") BigDecimal costUsd,
        @Schema(description = "day or month (UTC)") String period,
        Instant periodStart,
        @Schema(description = "cost reported since periodStart (for the system budget: by every agent)") BigDecimal spentUsd,
        @Schema(description = "the budget.warning of this period was sent (80%)") boolean warned,
        @Schema(description = "100% reached this period: the agents it covers are paused (budget-exhausted)") boolean exhausted) {

    /** The columns {@link #from} reads, of {@code budgets b}. */
    static final String COLUMNS = "b.id, b.agent_id, b.cost_usd, b.period, b.period_start, b.spent_usd, b.warned, b.exhausted";

    static Budget from(Row row, String agentName) {
        return new Budget(agentName, UsageTotals.money(row.getBigDecimal("cost_usd")), row.getString("period"),
                Rows.instant(row, "period_start"), UsageTotals.money(row.getBigDecimal("spent_usd")),
                row.getBoolean("warned"), row.getBoolean("exhausted"));
    }
}
