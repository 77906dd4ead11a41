package dev.olympus.task;

import dev.olympus.web.NotBlankText;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

public record CreateTaskRequest(
        @NotBlankText @Schema(required = true, minLength = 1) @Size(max = 200) String title,
        @Size(max = 65536) String description,
        @Pattern(regexp = "^[a-z][a-z0-9-]{1,31}$", message = "must be an agent name") String assignee,
        Priority priority,
        @Size(max = 32) List<@NotNull @Pattern(regexp = TaskRequests.LABEL, message = TaskRequests.LABEL_MESSAGE) String> labels,
        @Size(max = 100) List<@NotNull @Positive Long> dependsOn,
        @Min(1) @Max(100) Integer maxAttempts) {}
