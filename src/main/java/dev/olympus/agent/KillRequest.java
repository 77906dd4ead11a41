package dev.olympus.agent;

import dev.olympus.web.NotBlankText;
import jakarta.validation.constraints.Size;

/** Why an operator kills an agent: kept as the agent's {@code stateReason} and in the system comments. */
public record KillRequest(@NotBlankText @Size(max = 4096) String reason) {}
