package dev.olympus.mcp;

/** The {@code usage} argument of the heartbeat and update_task tools (same rules as REST, see {@code Usage}). */
final class UsageArg {

    static final String DESCRIPTION = "Usage since your previous report: {\"inputTokens\": int, \"outputTokens\": int, "
            + "\"costUsd\": number with at most 6 decimals, \"model\": string}, all optional and non-negative";

    private UsageArg() {}
}
