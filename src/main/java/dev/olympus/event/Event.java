package dev.olympus.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.Map;

/** A stored event: {@code id} is its position in the stream, the monotonic integer cursor. */
@RegisterForReflection
public record Event(long id, String type, Instant at, String actor, Long taskId, String agent, Map<String, Object> data) {}
