package dev.olympus.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * The answer to a heartbeat: the server's clock, when the next heartbeat is due, and, when the heartbeat named a
 * task, that task's renewed lease; {@code canceledTaskIds}: the tasks the agent held that were canceled since its
 * previous heartbeat (stop working on them), each answered once.
 */
@RegisterForReflection
public record Heartbeat(
        Instant serverTime,
        Instant nextHeartbeatDueAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long taskId,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant leaseExpiresAt,
        List<Long> canceledTaskIds) {}
