package dev.olympus.task;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** A comment on a task. {@code system} comments are written by Olympus itself (kill switch, requeue, unblock). */
@RegisterForReflection
public record Comment(long id, long taskId, String author, String body, boolean system, Instant createdAt) {}
