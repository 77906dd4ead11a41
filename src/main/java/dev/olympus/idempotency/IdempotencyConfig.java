package dev.olympus.idempotency;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;

/** {@code olympus.idempotency.*}: how long {@code Idempotency-Key}s are remembered, and how duplicates wait. */
@ConfigMapping(prefix = "olympus.idempotency")
public interface IdempotencyConfig {

    /** A key is remembered this long after its first use (then a new request with it runs again). */
    Duration ttl();

    /** How often expired keys are deleted. */
    Duration cleanupEvery();

    /** How long a concurrent duplicate waits for the first request's answer before 409 idempotency-key-in-flight. */
    Duration waitTimeout();

    /** A first request still unanswered after this long is taken as lost (its instance died): the key is reused. */
    Duration abandonAfter();
}
