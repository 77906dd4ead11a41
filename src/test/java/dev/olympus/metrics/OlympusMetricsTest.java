package dev.olympus.metrics;

import dev.olympus.event.NewEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The hooks other features call, on a registry of their own (no application). */
class OlympusMetricsTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final OlympusMetrics metrics = new OlympusMetrics(registry);

    @Test
    void websocketSessionsGoUpAndDownButNeverBelowZero() {
        metrics.websocketOpened();
        metrics.websocketOpened();
        metrics.websocketClosed();
        assertThat(gauge("olympus.websocket.sessions")).isEqualTo(1);
        metrics.websocketClosed();
        metrics.websocketClosed();
        assertThat(gauge("olympus.websocket.sessions")).isZero();
    }

    @Test
    void schedulerLagCountsOnTheLeaderFromItsLastRun() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        metrics.clock(clock);
        assertThat(gauge("olympus.scheduler.leader")).isZero();
        assertThat(gauge("olympus.scheduler.lag")).isZero();

        metrics.schedulerLeader(true);
        clock.advance(Duration.ofSeconds(4));
        assertThat(gauge("olympus.scheduler.leader")).isEqualTo(1);
        assertThat(gauge("olympus.scheduler.lag")).isEqualTo(4.0);

        metrics.schedulerRan();
        clock.advance(Duration.ofMillis(1500));
        assertThat(gauge("olympus.scheduler.lag")).isEqualTo(1.5);
        assertThat(registry.get("olympus.scheduler.runs").counter().count()).isEqualTo(1);

        metrics.schedulerLeader(false);
        assertThat(gauge("olympus.scheduler.leader")).isZero();
        assertThat(gauge("olympus.scheduler.lag")).isZero();
    }

    @Test
    void appendedEventsCountCreationsAndOutcomes() {
        metrics.eventsWritten(List.of(
                NewEvent.task("task.created", "a", 1, new JsonObject()),
                NewEvent.task("task.status_changed", "a", 1, new JsonObject().put("from", "in_progress").put("to", "done")),
                NewEvent.task("task.status_changed", "a", 2, new JsonObject().put("from", "in_progress").put("to", "failed")),
                NewEvent.task("task.assigned", "a", 2, new JsonObject().put("from", null).put("to", "done")),
                NewEvent.agent("agent.created", "a", "b", null)));
        assertThat(registry.get("olympus.events.written").counter().count()).isEqualTo(5);
        assertThat(registry.get("olympus.tasks.created").counter().count()).isEqualTo(1);
        assertThat(registry.get("olympus.tasks.completed").tag("outcome", "done").counter().count()).isEqualTo(1);
        assertThat(registry.get("olympus.tasks.completed").tag("outcome", "failed").counter().count()).isEqualTo(1);
    }

    @Test
    void stateGaugesAreResetToWhatTheLatestReadSaw() {
        metrics.taskCounts(Map.of("todo", 3L, "done", 2L), Map.of("lease-expired", 1L), Map.of("active", 4L));
        metrics.taskCounts(Map.of("done", 5L), Map.of(), Map.of("active", 3L, "killed", 1L));
        assertThat(registry.get("olympus.tasks").tag("status", "todo").gauge().value()).isZero();
        assertThat(registry.get("olympus.tasks").tag("status", "done").gauge().value()).isEqualTo(5);
        assertThat(registry.get("olympus.tasks.attention").tag("reason", "lease-expired").gauge().value()).isZero();
        assertThat(registry.get("olympus.agents").tag("state", "killed").gauge().value()).isEqualTo(1);
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
