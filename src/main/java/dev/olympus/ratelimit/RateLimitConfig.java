package dev.olympus.ratelimit;

import dev.olympus.auth.Role;
import io.smallrye.config.ConfigMapping;

import java.time.Duration;

/** {@code olympus.rate-limit.*}: the general per-agent request limits, one policy per role. */
@ConfigMapping(prefix = "olympus.rate-limit")
public interface RateLimitConfig {

    /** Whether requests are limited (and the RateLimit headers sent) at all. */
    boolean enabled();

    /** Operators: humans and admin tools. */
    Policy operator();

    /** Orchestrators: the agents that plan and create tasks. */
    Policy orchestrator();

    /** Workers: the agents that claim and do tasks. */
    Policy worker();

    /** Observers: dashboards and reporting. */
    Policy observer();

    default Policy of(Role role) {
        return switch (role) {
            case OPERATOR -> operator();
            case ORCHESTRATOR -> orchestrator();
            case WORKER -> worker();
            case OBSERVER -> observer();
        };
    }

    /** {@code quota} requests per {@code window}, per agent and instance. */
    interface Policy {
        /** Requests an agent may send per window (at least 1). */
        int quota();

        /** The window's length (whole seconds, at least 1 s). */
        Duration window();
    }
}
