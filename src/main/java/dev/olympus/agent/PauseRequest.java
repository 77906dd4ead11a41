package dev.olympus.agent;

import dev.olympus.web.NotBlankText;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Why an agent is paused: kept as its {@code stateReason} and in {@code agent.paused}. */
public record PauseRequest(@NotBlankText @Schema(required = true, minLength = 1) @Size(max = 4096) String reason) {}
