package dev.olympus.agent;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Why an operator revives an agent (optional): kept as the agent's {@code reviveReason} and in the event. */
public record ReviveRequest(@Size(max = 4096) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") String reason) {}
