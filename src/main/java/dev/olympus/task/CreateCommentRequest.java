package dev.olympus.task;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

public record CreateCommentRequest(@NotNull @Size(min = 1, max = 16384) String body) {}
