package dev.olympus.usage;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An agent's usage in the current budget period: the period of its own budget, else the system budget's, else the
 * UTC day.
 */
@RegisterForReflection
@Schema(name = "PeriodUsage")
public record PeriodUsage(long inputTokens, long outputTokens, BigDecimal costUsd,
                          @Schema(enumeration = {"day", "month"}) String period, Instant periodStart) {}
