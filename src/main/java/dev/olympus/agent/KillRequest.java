package dev.olympus.agent;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Why an operator kills an agent: kept as the agent's {@code stateReason} and in the system comments. */
public record KillRequest(@NotBlank @Size(max = 4096) String reason) {}
