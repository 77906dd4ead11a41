package dev.olympus.usage;

import io.smallrye.config.ConfigMapping;

import java.math.BigDecimal;

/** Usage reporting ({@code olympus.usage.*}): the ceilings one report may carry. */
@ConfigMapping(prefix = "olympus.usage")
public interface UsageConfig {

    /** The largest {@code costUsd} one report may add; a larger one is refused with 400 (a bug, not a spend). */
    BigDecimal maxCostPerReport();

    /** The largest {@code inputTokens} or {@code outputTokens} one report may add. */
    long maxTokensPerReport();
}
