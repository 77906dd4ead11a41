package dev.olympus.system;

import dev.olympus.web.NotBlankText;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

public record FreezeRequest(@NotBlankText @Schema(required = true, minLength = 1) @Size(max = 4096) String reason) {}
