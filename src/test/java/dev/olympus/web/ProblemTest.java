package dev.olympus.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.pgclient.PgException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Problem building (RFC 9457) without HTTP: the body's members, the response's status, type and headers. */
class ProblemTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theBodyHasTheStandardMembersThenTheExtensions() throws Exception {
        ProblemException e = ProblemException.conflict("duplicate-task", "Duplicate task", "An open task has this title.")
                .with("existingTaskId", 41);
        JsonNode body = JSON.valueToTree(Problem.of(e, "/api/v1/tasks"));
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("type", "title", "status", "detail", "code", "instance", "existingTaskId");
        assertThat(body.get("type").asText()).isEqualTo("urn:olympus:problem:duplicate-task");
        assertThat(body.get("status").asInt()).isEqualTo(409);
        assertThat(body.get("existingTaskId").asInt()).isEqualTo(41);
    }

    @Test
    void absentMembersAreLeftOut() {
        JsonNode body = JSON.valueToTree(Problem.of(new ProblemException(404, "not-found", "Not found", null), null));
        assertThat(body.has("detail")).isFalse();
        assertThat(body.has("instance")).isFalse();
        assertThat(body.has("extensions")).isFalse();
    }

    @Test
    void validationNamesTheFirstFieldInTheDetailAndListsAll() {
        ProblemException e = ProblemException.validation(List.of(new ProblemException.FieldError("title", "must not be blank"),
                new ProblemException.FieldError("labels[0]", "bad")));
        JsonNode body = JSON.valueToTree(Problem.of(e, null));
        assertThat(body.get("detail").asText()).isEqualTo("title: must not be blank");
        assertThat(body.get("errors")).hasSize(2);
        assertThat(body.get("errors").get(1).get("field").asText()).isEqualTo("labels[0]");
        assertThat(ProblemException.validation(List.of()).detail()).isEqualTo("The request is invalid.");
    }

    @Test
    void theResponseCarriesStatusMediaTypeAndHeaders() {
        Response response = ProblemMapper.toResponse(ProblemException.unauthorized("no"), null);
        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(response.getHeaderString("WWW-Authenticate")).isEqualTo("Bearer realm=\"olympus\"");
        assertThat(((Problem) response.getEntity()).code()).isEqualTo("unauthorized");
    }

    @Test
    void httpFailuresGetTheirCodes() {
        ProblemMapper mapper = new ProblemMapper();
        assertThat(code(mapper.http(new WebApplicationException(404), null))).isEqualTo("not-found");
        assertThat(code(mapper.http(new WebApplicationException(415), null))).isEqualTo("unsupported-media-type");
        assertThat(code(mapper.http(new WebApplicationException(413), null))).isEqualTo("payload-too-large");
        assertThat(code(mapper.http(new WebApplicationException(409), null))).isEqualTo("http-409");
    }

    @Test
    void databaseFailuresAreSortedIntoClientAndServerFaults() {
        ProblemMapper mapper = new ProblemMapper();
        assertThat(code(mapper.database(new PgException("dup", "ERROR", "23505", null), null))).isEqualTo("constraint-violation");
        assertThat(code(mapper.database(new PgException("long", "ERROR", "22001", null), null))).isEqualTo("validation-failed");
        Response unavailable = mapper.unexpected(new RuntimeException(new ConnectException("refused")), null);
        assertThat(unavailable.getStatus()).isEqualTo(503);
        assertThat(unavailable.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(ProblemMapper.isDatabaseUnavailable(new IllegalStateException("x"))).isFalse();
    }

    private static String code(Response response) {
        return ((Problem) response.getEntity()).code();
    }
}
