package dev.olympus.task;

import dev.olympus.auth.Caller;
import dev.olympus.auth.Role;
import dev.olympus.web.Cursors;
import dev.olympus.web.ProblemException;
import dev.olympus.web.ProblemException.FieldError;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The query parameters of GET /api/v1/tasks, parsed without HTTP. */
class TaskFilterTest {

    private static final Caller WORKER = new Caller(7, "worker-7", Role.WORKER, "k", 0, 0);

    @Test
    void noParametersMeanNoFilter() {
        TaskFilter filter = parse(params(null, null, null, null, null, null, null, null, null, null));
        assertThat(filter.assignees()).isEmpty();
        assertThat(filter.statuses()).isEmpty();
        assertThat(filter.ready()).isNull();
        assertThat(filter.afterId()).isNull();
        assertThat(filter.limit()).isEqualTo(50);
    }

    @Test
    void listsBooleansInstantsAndMeAreParsed() {
        TaskFilter filter = parse(params("me, other-1", "todo,in_progress", "high", "a,b", "true", "false", "me",
                "2026-01-31T12:00:00Z", "login bug", null));
        assertThat(filter.assignees()).containsExactly("worker-7", "other-1");
        assertThat(filter.statuses()).containsExactly(TaskStatus.TODO, TaskStatus.IN_PROGRESS);
        assertThat(filter.priorities()).containsExactly(Priority.HIGH);
        assertThat(filter.labels()).containsExactly("a", "b");
        assertThat(filter.ready()).isTrue();
        assertThat(filter.needsAttention()).isFalse();
        assertThat(filter.createdBy()).containsExactly("worker-7");
        assertThat(filter.updatedSince()).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        assertThat(filter.q()).isEqualTo("login bug");
    }

    @Test
    void aCursorCarriesRankAndId() {
        TaskFilter filter = parse(params(null, null, null, null, null, null, null, null, null, Cursors.encode("2", "41")));
        assertThat(filter.afterRank()).isEqualTo(2);
        assertThat(filter.afterId()).isEqualTo(41L);
    }

    @Test
    void everyBadParameterIsNamed() {
        ProblemException problem = catchThrowableOfType(ProblemException.class, () -> parse(params("Not A Name", "sleeping",
                "urgent", "bad label", "yes", "1", "x", "yesterday", " ", null)));
        assertThat(errors(problem)).extracting(FieldError::field).containsExactly("assignee", "status", "priority", "label",
                "createdBy", "ready", "needsAttention", "updatedSince", "q");
    }

    @Test
    void emptyListEntriesAndLongListsAreRefused() {
        assertThat(errors(catchThrowableOfType(ProblemException.class,
                () -> parse(params(null, "todo,,done", null, null, null, null, null, null, null, null)))))
                .containsExactly(new FieldError("status", "'' is not a valid value"));
        String many = String.join(",", java.util.Collections.nCopies(51, "todo"));
        assertThat(errors(catchThrowableOfType(ProblemException.class,
                () -> parse(params(null, many, null, null, null, null, null, null, null, null)))))
                .containsExactly(new FieldError("status", "at most 50 values"));
    }

    @Test
    void aForeignCursorIsRefused() {
        assertThat(errors(catchThrowableOfType(ProblemException.class,
                () -> parse(params(null, null, null, null, null, null, null, null, null, Cursors.encode("1"))))))
                .containsExactly(new FieldError("cursor", "not a cursor issued by this service"));
    }

    private static TaskFilter parse(TaskFilter.Params params) {
        return TaskFilter.parse(params, WORKER, 50);
    }

    private static TaskFilter.Params params(String assignee, String status, String priority, String label, String ready,
                                            String attention, String createdBy, String updatedSince, String q, String cursor) {
        return new TaskFilter.Params(assignee, status, priority, label, ready, attention, createdBy, updatedSince, q, cursor);
    }

    @SuppressWarnings("unchecked")
    private static List<FieldError> errors(ProblemException problem) {
        assertThat(problem.status()).isEqualTo(400);
        return (List<FieldError>) problem.extensions().get("errors");
    }
}
