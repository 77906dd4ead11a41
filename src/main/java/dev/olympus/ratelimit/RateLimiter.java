package dev.olympus.ratelimit;

import dev.olympus.auth.Role;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The general per-agent request limit: a fixed window per agent, opened by its first request, that admits
 * {@code quota} requests until it ends ({@code olympus.rate-limit.<role>.quota} per {@code .window}).
 *
 * <p>In memory and per instance: each instance counts the requests it serves, so N instances behind a load
 * balancer admit up to N times the quota. That is enough to stop a runaway loop cheaply (no I/O, one map
 * look-up and an uncontended lock per request); the budgets that must hold across instances (task creation)
 * are enforced in PostgreSQL by {@link TaskCreationGuard}.
 */
@ApplicationScoped
public class RateLimiter {

    /** The name of the general policy in the RateLimit fields. */
    public static final String POLICY_NAME = "default";

    /** One role's policy; its {@code RateLimit-Policy} item is formatted once. */
    public record Policy(int quota, long windowNanos, long windowSeconds, String header) {}

    /** The outcome of one request, and the agent's state after it. */
    public record Decision(boolean allowed, int remaining, long resetSeconds, Policy policy) {

        public String policyItem() {
            return policy.header();
        }

        public String limitItem() {
            return RateLimitHeaders.limit(POLICY_NAME, remaining, resetSeconds);
        }
    }

    /** One agent's current window. Guarded by its own monitor. */
    private static final class Window {
        long end;
        int used;
        boolean evicted;

        Window(long end) {
            this.end = end;
        }
    }

    private final boolean enabled;
    private final Map<Role, Policy> policies = new EnumMap<>(Role.class);
    private final ConcurrentHashMap<Long, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    @Inject
    public RateLimiter(RateLimitConfig config) {
        this(config, System::nanoTime);
    }

    RateLimiter(RateLimitConfig config, LongSupplier nanoClock) {
        this.enabled = config.enabled();
        this.nanoClock = nanoClock;
        for (Role role : Role.values()) {
            RateLimitConfig.Policy p = config.of(role);
            long seconds = Math.max(1, p.window().toSeconds());
            int quota = Math.max(1, p.quota());
            policies.put(role, new Policy(quota, seconds * 1_000_000_000L, seconds,
                    RateLimitHeaders.policy(POLICY_NAME, quota, seconds)));
        }
    }

    public boolean enabled() {
        return enabled;
    }

    public Policy policy(Role role) {
        return policies.get(role);
    }

    /** Counts one request of the agent: allowed while its window has quota left. */
    public Decision acquire(long agentId, Role role) {
        Policy policy = policies.get(role);
        while (true) {
            Window window = windows.computeIfAbsent(agentId, id -> new Window(nanoClock.getAsLong() + policy.windowNanos()));
            synchronized (window) {
                if (window.evicted) {
                    continue; // removed by evict() meanwhile: take the fresh one
                }
                long now = nanoClock.getAsLong();
                if (now - window.end >= 0) {
                    window.end = now + policy.windowNanos();
                    window.used = 0;
                }
                long reset = RateLimitHeaders.ceilSeconds(window.end - now);
                if (window.used >= policy.quota()) {
                    return new Decision(false, 0, Math.max(1, reset), policy);
                }
                window.used++;
                return new Decision(true, policy.quota() - window.used, reset, policy);
            }
        }
    }

    /** The agent's state without counting a request (for responses whose request was not counted). */
    public Decision peek(long agentId, Role role) {
        Policy policy = policies.get(role);
        Window window = windows.get(agentId);
        if (window == null) {
            return new Decision(true, policy.quota(), 0, policy);
        }
        synchronized (window) {
            long now = nanoClock.getAsLong();
            if (window.evicted || now - window.end >= 0) {
                return new Decision(true, policy.quota(), 0, policy);
            }
            return new Decision(window.used < policy.quota(), policy.quota() - window.used,
                    RateLimitHeaders.ceilSeconds(window.end - now), policy);
        }
    }

    /** Forgets the windows that ended, so that memory follows the active agents only. */
    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void evict() {
        long now = nanoClock.getAsLong();
        windows.forEach((agentId, window) -> {
            synchronized (window) {
                if (now - window.end >= 0) {
                    window.evicted = true;
                    windows.remove(agentId, window);
                }
            }
        });
    }

    int tracked() {
        return windows.size();
    }
}
