package dev.olympus.system;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record FreezeRequest(@NotBlank @Size(max = 4096) String reason) {}
