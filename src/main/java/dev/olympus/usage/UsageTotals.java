package dev.olympus.usage;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;

/** Cumulative usage (of a task, an agent, or an agent's current budget period). */
@RegisterForReflection
@Schema(name = "Usage")
public record UsageTotals(long inputTokens, long outputTokens,
                          @Schema(description = "USD, exact, at most 6 decimals") BigDecimal costUsd) {

    public static final UsageTotals NONE = new UsageTotals(0, 0, BigDecimal.ZERO);

    /** From columns {@code <prefix>input_tokens}, {@code <prefix>output_tokens}, {@code <prefix>cost_usd} (null: none). */
    public static UsageTotals from(Row row, String prefix) {
        Long input = row.getLong(prefix + "input_tokens");
        if (input == null) {
            return NONE;
        }
        return new UsageTotals(input, row.getLong(prefix + "output_tokens"), money(row.getBigDecimal(prefix + "cost_usd")));
    }

    /** From a {@code numeric[]} column of input tokens, output tokens and cost ({@link UsageColumns#TASK}). */
    public static UsageTotals fromArray(Row row, String column) {
        java.math.BigDecimal[] numbers = row.getArrayOfBigDecimals(column);
        if (numbers == null) {
            return NONE;
        }
        return new UsageTotals(numbers[0].longValueExact(), numbers[1].longValueExact(), money(numbers[2]));
    }

    /** Money as the API shows it: exact, without trailing zeros, never in exponent notation. */
    public static BigDecimal money(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
