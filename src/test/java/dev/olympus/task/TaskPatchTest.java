package dev.olympus.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.olympus.web.ProblemException;
import dev.olympus.web.ProblemException.FieldError;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Merge-patch parsing (RFC 7396) without HTTP: "absent" and "null" differ, and every bad field is named. */
class TaskPatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void absentMembersAreNotPresentAndNullClearsNullableFields() {
        TaskPatch patch = parse("{\"description\":null,\"assignee\":null,\"status\":\"in_progress\"}");
        assertThat(patch.present()).containsExactlyInAnyOrder("description", "assignee", "status");
        assertThat(patch.has("description")).isTrue();
        assertThat(patch.description()).isNull();
        assertThat(patch.has("title")).isFalse();
        assertThat(patch.status()).isEqualTo(TaskStatus.IN_PROGRESS);
    }

    @Test
    void allFieldsAreParsed() {
        TaskPatch patch = parse("""
                {"title":"t","description":"d","result":"r","comment":"c","assignee":"worker-1","priority":"high",
                 "labels":["a","b:c"],"blockedOn":[3,3,4]}""");
        assertThat(patch.title()).isEqualTo("t");
        assertThat(patch.result()).isEqualTo("r");
        assertThat(patch.comment()).isEqualTo("c");
        assertThat(patch.assignee()).isEqualTo("worker-1");
        assertThat(patch.priority()).isEqualTo(Priority.HIGH);
        assertThat(patch.labels()).containsExactly("a", "b:c");
        assertThat(patch.blockedOn()).as("duplicates dropped, order kept").containsExactly(3L, 4L);
    }

    @Test
    void nullLabelsMeanNoLabels() {
        assertThat(parse("{\"labels\":null}").labels()).isEmpty();
    }

    @Test
    void everyInvalidFieldIsReportedAtOnce() {
        assertThat(errors("""
                {"status":"sleeping","priority":"urgent","title":"  ","comment":"","assignee":"Bad Name",
                 "labels":["ok","no spaces"],"blockedOn":[1,-2,"x"],"color":"red"}"""))
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("color", "status", "priority", "title", "comment", "assignee", "labels[1]",
                        "blockedOn[1]", "blockedOn[2]");
    }

    @Test
    void nonNullableFieldsRefuseNull() {
        assertThat(errors("{\"title\":null,\"status\":null,\"comment\":null}"))
                .containsExactlyInAnyOrder(new FieldError("title", "must not be null"),
                        new FieldError("status", "must not be null"), new FieldError("comment", "must not be null"));
    }

    @Test
    void typesAndLengthsAreChecked() {
        assertThat(errors("{\"title\":5}")).containsExactly(new FieldError("title", "must be a string"));
        assertThat(errors("{\"title\":\"" + "x".repeat(201) + "\"}"))
                .containsExactly(new FieldError("title", "must be at most 200 characters"));
        assertThat(errors("{\"labels\":\"a\"}")).containsExactly(new FieldError("labels", "must be an array of strings"));
        assertThat(errors("{\"blockedOn\":[]}"))
                .containsExactly(new FieldError("blockedOn", "must be a non-empty array of task ids"));
        assertThat(errors("{\"title\":\"a\\u0000b\"}"))
                .containsExactly(new FieldError("title", "must not contain NUL or unpaired surrogates"));
    }

    @Test
    void theBodyMustBeAnObject() {
        assertThat(errors("[1]")).containsExactly(new FieldError("body", "must be a JSON object"));
    }

    @Test
    void anEmptyPatchIsValid() {
        assertThat(parse("{}").present()).isEqualTo(Set.of());
    }

    private static TaskPatch parse(String json) {
        return TaskPatch.parse(read(json));
    }

    @SuppressWarnings("unchecked")
    static List<FieldError> errors(String json) {
        ProblemException problem = catchThrowableOfType(ProblemException.class, () -> TaskPatch.parse(read(json)));
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.code()).isEqualTo("validation-failed");
        return (List<FieldError>) problem.extensions().get("errors");
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
