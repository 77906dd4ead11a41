package dev.olympus.agent;

import dev.olympus.auth.Role;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

public record CreateAgentRequest(
        @NotNull @Pattern(regexp = "^[a-z][a-z0-9-]{1,31}$", message = "must match ^[a-z][a-z0-9-]{1,31}$") String name,
        @NotNull Role role,
        @Size(max = 4096) String description,
        @Min(1) @Max(604800) Integer heartbeatIntervalSeconds,
        @Size(max = 32) List<@NotNull @Pattern(regexp = "^[A-Za-z0-9._:/-]{1,64}$",
                message = "must be 1..64 letters, digits or ._:/-") String> capabilities,
        @Min(0) @Max(10000) Integer wipLimit) {}
