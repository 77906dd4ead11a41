package dev.olympus.event;

import dev.olympus.auth.Caller;
import dev.olympus.auth.Role;
import dev.olympus.web.ProblemException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who sees which event, and the type/assignee parameters, without a database or a socket. */
class EventFilterTest {

    private static final Caller WORKER = caller("worker-1", Role.WORKER);
    private static final Caller OBSERVER = caller("watcher", Role.OBSERVER);

    @Test
    void workersSeeOnlyEventsThatNameThem() {
        EventFilter filter = EventFilter.of(WORKER, null, null);
        assertThat(filter.viewer()).isEqualTo("worker-1");
        assertThat(filter.matches("task.created", List.of("worker-1", "boss"))).isTrue();
        assertThat(filter.matches("task.created", List.of("worker-2"))).isFalse();
    }

    @Test
    void otherRolesSeeEverything() {
        for (Role role : List.of(Role.OPERATOR, Role.ORCHESTRATOR, Role.OBSERVER)) {
            EventFilter filter = EventFilter.of(caller("someone", role), null, null);
            assertThat(filter.viewer()).isNull();
            assertThat(filter.matches("agent.killed", List.of())).isTrue();
        }
    }

    @Test
    void typesAndPrefixesNarrow() {
        EventFilter filter = EventFilter.of(OBSERVER, "agent.killed, task.*", null);
        assertThat(filter.types()).containsExactly("agent.killed");
        assertThat(filter.typePrefixes()).containsExactly("task.");
        assertThat(filter.matches("task.claimed", List.of())).isTrue();
        assertThat(filter.matches("agent.killed", List.of())).isTrue();
        assertThat(filter.matches("agent.registered", List.of())).isFalse();
    }

    @Test
    void assigneesNarrowAndMeIsTheCaller() {
        EventFilter filter = EventFilter.of(OBSERVER, null, "me,worker-1");
        assertThat(filter.assignees()).containsExactlyInAnyOrder("watcher", "worker-1");
        assertThat(filter.matches("task.created", List.of("worker-1"))).isTrue();
        assertThat(filter.matches("task.created", List.of("worker-9"))).isFalse();
    }

    @Test
    void blankParametersMeanAny() {
        assertThat(EventFilter.of(OBSERVER, " ", ",")).isEqualTo(EventFilter.all());
    }

    @Test
    void badValuesAre400sNamingTheParameter() {
        assertThatThrownBy(() -> EventFilter.of(OBSERVER, "Task.Created", null)).isInstanceOfSatisfying(ProblemException.class,
                p -> assertThat(p.extensions().get("errors").toString()).contains("field=type"));
        assertThatThrownBy(() -> EventFilter.of(OBSERVER, null, "No Name")).isInstanceOfSatisfying(ProblemException.class,
                p -> assertThat(p.extensions().get("errors").toString()).contains("field=assignee"));
        String many = String.join(",", java.util.Collections.nCopies(EventFilter.MAX_LIST + 1, "task.created"));
        assertThatThrownBy(() -> EventFilter.of(OBSERVER, many, null)).isInstanceOfSatisfying(ProblemException.class,
                p -> assertThat(p.detail()).isEqualTo("type: at most 50 values"));
    }

    @Test
    void theSqlFormBindsTheSameRules() {
        StringBuilder sql = new StringBuilder("WHERE true");
        List<Object> params = new ArrayList<>();
        EventFilter.of(WORKER, "task_x.*", "worker-2").where(sql, params);
        assertThat(sql.toString()).isEqualTo("WHERE true AND audience @> $1::text[] AND audience && $2::text[]"
                + " AND (type = ANY($3::text[]) OR type LIKE ANY($4::text[]))");
        assertThat((String[]) params.get(0)).containsExactly("worker-1");
        assertThat((String[]) params.get(1)).containsExactly("worker-2");
        assertThat((String[]) params.get(2)).isEmpty();
        assertThat((String[]) params.get(3)).as("LIKE's underscore escaped").containsExactly("task\\_x.%");
    }

    @Test
    void noFilterAddsNoCondition() {
        StringBuilder sql = new StringBuilder("WHERE true");
        List<Object> params = new ArrayList<>();
        EventFilter.all().where(sql, params);
        assertThat(sql.toString()).isEqualTo("WHERE true");
        assertThat(params).isEmpty();
    }

    private static Caller caller(String name, Role role) {
        return new Caller(1, name, role, "k", 0, 0);
    }
}
