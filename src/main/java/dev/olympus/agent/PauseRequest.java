package dev.olympus.agent;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Why an agent is paused: kept as its {@code stateReason} and in {@code agent.paused}. */
public record PauseRequest(@NotBlank @Size(max = 4096) String reason) {}
