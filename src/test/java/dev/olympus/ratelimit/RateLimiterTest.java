package dev.olympus.ratelimit;

import dev.olympus.auth.Role;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory window, on a clock the test moves. */
class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(42 * SECOND);
    private final RateLimiter limiter = new RateLimiter(config(3, Duration.ofSeconds(10)), clock::get);

    @Test
    void admitsTheQuotaPerWindowAndTellsHonestlyWhenItResets() {
        RateLimiter.Decision first = limiter.acquire(1, Role.WORKER);
        assertThat(first.allowed()).isTrue();
        assertThat(first.remaining()).isEqualTo(2);
        assertThat(first.resetSeconds()).isEqualTo(10);
        assertThat(first.policyItem()).isEqualTo("\"default\";q=3;w=10");
        assertThat(first.limitItem()).isEqualTo("\"default\";r=2;t=10");

        clock.addAndGet(2_500_000_000L);
        assertThat(limiter.acquire(1, Role.WORKER).remaining()).isEqualTo(1);
        RateLimiter.Decision third = limiter.acquire(1, Role.WORKER);
        assertThat(third.remaining()).isZero();
        assertThat(third.resetSeconds()).isEqualTo(8); // 7.5 s left, rounded up

        RateLimiter.Decision refused = limiter.acquire(1, Role.WORKER);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.resetSeconds()).isEqualTo(8);

        clock.addAndGet(7_499_999_999L); // one nanosecond before the window ends
        assertThat(limiter.acquire(1, Role.WORKER).allowed()).isFalse();
        clock.addAndGet(1);
        RateLimiter.Decision fresh = limiter.acquire(1, Role.WORKER);
        assertThat(fresh.allowed()).isTrue();
        assertThat(fresh.remaining()).isEqualTo(2);
        assertThat(fresh.resetSeconds()).isEqualTo(10);
    }

    @Test
    void agentsAreCountedApartAndPeekCountsNothing() {
        limiter.acquire(1, Role.WORKER);
        limiter.acquire(1, Role.WORKER);
        assertThat(limiter.acquire(2, Role.WORKER).remaining()).isEqualTo(2);
        assertThat(limiter.peek(1, Role.WORKER).remaining()).isEqualTo(1);
        assertThat(limiter.peek(1, Role.WORKER).remaining()).isEqualTo(1);
        assertThat(limiter.peek(3, Role.WORKER).remaining()).isEqualTo(3);
    }

    @Test
    void endedWindowsAreForgotten() {
        limiter.acquire(1, Role.WORKER);
        clock.addAndGet(5 * SECOND);
        limiter.acquire(2, Role.WORKER);
        clock.addAndGet(6 * SECOND);
        limiter.evict();
        assertThat(limiter.tracked()).isEqualTo(1);
        assertThat(limiter.acquire(1, Role.WORKER).remaining()).isEqualTo(2);
    }

    static RateLimitConfig config(int quota, Duration window) {
        RateLimitConfig.Policy policy = new RateLimitConfig.Policy() {
            @Override public int quota() { return quota; }
            @Override public Duration window() { return window; }
        };
        return new RateLimitConfig() {
            @Override public boolean enabled() { return true; }
            @Override public Policy operator() { return policy; }
            @Override public Policy orchestrator() { return policy; }
            @Override public Policy worker() { return policy; }
            @Override public Policy observer() { return policy; }
        };
    }
}
