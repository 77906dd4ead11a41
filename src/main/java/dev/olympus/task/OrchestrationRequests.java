package dev.olympus.task;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Bodies of the orchestration endpoints (claim, dependencies, retry, cancel). */
public final class OrchestrationRequests {

    private OrchestrationRequests() {}

    /** {@code POST /tasks/claim}: {@code labels} narrows the claim to tasks carrying at least one of them. */
    public record Claim(
            @Size(max = 32) List<@NotNull @Pattern(regexp = TaskRequests.LABEL, message = TaskRequests.LABEL_MESSAGE) String> labels) {}

    /** {@code PUT /tasks/{id}/dependencies}: the complete new set. */
    public record DependsOn(@NotNull @Size(max = 100) List<@NotNull @Positive Long> dependsOn) {}

    /**
     * {@code POST /tasks/{id}/cancel}: why (1..2000 characters after trimming; checked by the service, a missing one
     * is 422 {@code cancel-reason-required}), and whether the not-started dependents go too.
     */
    public record Cancel(@Schema(description = "why, 1..2000 characters", maxLength = 2000) String reason, Boolean cascade) {}

    /** {@code POST /tasks/{id}/retry}: the retry's assignee (absent or null: unassigned, for any capable worker). */
    public record Retry(@Pattern(regexp = "^[a-z][a-z0-9-]{1,31}$", message = "must be an agent name") String assignee) {}
}
