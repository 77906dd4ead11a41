package dev.olympus.task;

import dev.olympus.web.NotBlankText;
import jakarta.validation.constraints.Size;

public record CreateCommentRequest(@NotBlankText @Size(max = 16384) String body) {}
