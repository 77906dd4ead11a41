package dev.olympus.task;

import dev.olympus.web.NotBlankText;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

public record CreateCommentRequest(@NotBlankText @Schema(required = true, minLength = 1) @Size(max = 16384) String body) {}
