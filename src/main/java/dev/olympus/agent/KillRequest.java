package dev.olympus.agent;

import dev.olympus.web.NotBlankText;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Why an operator kills an agent: kept as the agent's {@code stateReason} and in the system comments. */
public record KillRequest(@NotBlankText @Schema(required = true, minLength = 1) @Size(max = 4096) String reason) {}
