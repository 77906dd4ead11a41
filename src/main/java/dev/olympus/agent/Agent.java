package dev.olympus.agent;

import dev.olympus.auth.Role;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/** An agent as the API shows it. */
@RegisterForReflection
public record Agent(
        String name,
        Role role,
        String description,
        int heartbeatIntervalSeconds,
        List<String> capabilities,
        Integer wipLimit,
        String state,
        String stateReason,
        Instant lastHeartbeatAt,
        Instant nextHeartbeatDueAt,
        int openTasks,
        int inProgressTasks,
        Instant createdAt,
        String lastHeartbeatNote,
        Instant revivedAt,
        String revivedBy,
        String reviveReason) {}
