package dev.olympus.system;

import dev.olympus.web.NotBlankText;
import jakarta.validation.constraints.Size;

public record FreezeRequest(@NotBlankText @Size(max = 4096) String reason) {}
