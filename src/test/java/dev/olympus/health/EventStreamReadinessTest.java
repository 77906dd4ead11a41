package dev.olympus.health;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventStreamReadinessTest {

    @Test
    void readinessFollowsTheListener() {
        assertThat(new EventStreamReadiness(() -> false).call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(new EventStreamReadiness(() -> true).call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(new EventStreamReadiness(() -> true).call().getName()).isEqualTo("event-stream-listener");
    }
}
