package dev.olympus.task;

import dev.olympus.web.NotBlankText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * {@code POST /api/v1/plans}: up to 200 tasks created together. {@code parentId} is the parent of every task that
 * names none itself.
 */
public record PlanRequest(
        @Positive Long parentId,
        @NotNull @Size(min = 1, max = 200) List<@NotNull @Valid Item> tasks) {

    /** The creation fields of {@code POST /tasks}, a {@code ref} and {@code dependsOn} by ref or id. */
    public record Item(
            @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", message = "must be 1..64 letters, digits, '_', '.', '-'") String ref,
            @NotBlankText @Schema(required = true, minLength = 1) @Size(max = 200) String title,
            @Size(max = 65536) String description,
            @Pattern(regexp = "^[a-z][a-z0-9-]{1,31}$", message = "must be an agent name") String assignee,
            Priority priority,
            @Size(max = 32) List<@NotNull @Pattern(regexp = TaskRequests.LABEL, message = TaskRequests.LABEL_MESSAGE) String> labels,
            @Schema(description = "refs of tasks of this plan (strings) or ids of existing tasks (integers)")
            @Size(max = 100) List<@NotNull Object> dependsOn,
            @Min(1) @Max(100) Integer maxAttempts,
            Boolean reviewRequired,
            @Size(max = 20) List<@NotBlankText @Size(max = 500) String> acceptanceCriteria,
            @Positive Long parentId) {

        CreateTaskRequest toRequest() {
            return new CreateTaskRequest(title, description, assignee, priority, labels, null, maxAttempts, reviewRequired,
                    acceptanceCriteria, parentId);
        }
    }
}
