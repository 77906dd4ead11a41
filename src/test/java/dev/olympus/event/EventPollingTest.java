package dev.olympus.event;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.olympus.event.EventSocketTest.comment;
import static dev.olympus.event.EventSocketTest.head;
import static dev.olympus.event.EventSocketTest.polledIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** {@code GET /api/v1/events}: pages, cursors, {@code head}, filters, role visibility, validation. */
@QuarkusTest
class EventPollingTest {

    @Test
    void pagesFollowTheCursorAndHeadMeansFromNowOn() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long start = head();
        long task = Api.task(orchestrator, "polled", worker.name());
        for (int i = 0; i < 4; i++) {
            comment(orchestrator, task, "note " + i);
        }
        String mine = "&assignee=" + worker.name();

        JsonPath first = page(orchestrator, "after=" + start + "&limit=2" + mine);
        assertThat(first.getList("items.type", String.class)).containsExactly("task.created", "task.commented");
        assertThat(first.getList("items.taskId", Long.class)).containsOnly(task);
        String next = first.getString("nextCursor");
        assertThat(next).isEqualTo(first.getString("items[1].id"));

        JsonPath second = page(orchestrator, "after=" + next + "&limit=2" + mine);
        assertThat(second.getList("items.data.body", String.class)).containsExactly("note 1", "note 2");
        // `cursor` is the list convention's name for the same thing.
        JsonPath third = page(orchestrator, "cursor=" + second.getString("nextCursor") + "&limit=2" + mine);
        assertThat(third.getList("items.data.body", String.class)).containsExactly("note 3");
        assertThat(third.getString("nextCursor")).isNull();
        long head = third.getLong("head");
        assertThat(head).isGreaterThanOrEqualTo(third.getLong("items[0].id"));

        // From now on: nothing yet, and the head stays put.
        JsonPath now = page(orchestrator, "after=" + head);
        assertThat(now.getList("items")).isEmpty();
        assertThat(now.getString("nextCursor")).isNull();
        assertThat(now.getLong("head")).isGreaterThanOrEqualTo(head);
        comment(orchestrator, task, "later");
        assertThat(page(orchestrator, "after=" + head + mine).getList("items.data.body", String.class)).containsExactly("later");
    }

    @Test
    void filtersByTypeAndAssignee() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long start = head();
        long task = Api.task(orchestrator, "filtered", worker.name());
        comment(orchestrator, task, "one");
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + task).then().statusCode(200);
        String base = "after=" + start + "&assignee=" + worker.name();
        assertThat(page(orchestrator, base + "&type=task.commented").getList("items.type", String.class))
                .containsExactly("task.commented");
        assertThat(page(orchestrator, base + "&type=task.*").getList("items.type", String.class))
                .containsExactly("task.created", "task.commented", "task.status_changed");
        assertThat(page(orchestrator, base + "&type=task.created,task.status_changed").getList("items.type", String.class))
                .containsExactly("task.created", "task.status_changed");
        assertThat(page(worker, "after=" + start + "&assignee=me&type=agent.*").getList("items")).isEmpty();
    }

    @Test
    void workersSeeTheirOwnTasksAndThemselvesOthersSeeAll() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent observer = Api.agent("observer");
        TestAgent one = Api.agent("worker");
        TestAgent two = Api.agent("worker");
        long start = head();
        long ofOne = Api.task(orchestrator, "of one", one.name());
        long ofTwo = Api.task(orchestrator, "of two", two.name());
        comment(orchestrator, ofTwo, "for two");

        List<Long> seenByOne = polledIds(one, start, "");
        List<Long> seenByTwo = polledIds(two, start, "");
        List<Long> seenByObserver = polledIds(observer, start, "");
        List<Long> eventsOfOne = polledIds(orchestrator, start, "assignee=" + one.name());
        List<Long> eventsOfTwo = polledIds(orchestrator, start, "assignee=" + two.name());
        assertThat(eventsOfOne).hasSize(1);
        assertThat(eventsOfTwo).hasSize(2);
        assertThat(seenByOne).isEqualTo(eventsOfOne);
        assertThat(seenByTwo).isEqualTo(eventsOfTwo);
        assertThat(seenByObserver).containsAll(eventsOfOne).containsAll(eventsOfTwo);
        assertThat(page(one, "after=" + start).getList("items.taskId", Long.class)).containsOnly(ofOne);
    }

    @Test
    void invalidParametersAreRefused() {
        TestAgent observer = Api.agent("observer");
        for (String query : List.of("limit=0", "limit=201", "after=-1", "after=x", "cursor=abc", "type=Task", "type=task.",
                "assignee=Not%20A%20Name")) {
            observer.request().get("/api/v1/events?" + query).then().statusCode(400).body("code", is("validation-failed"));
        }
        RestAssured.given().get("/api/v1/events").then().statusCode(401);
        observer.request().get("/api/v1/events?after=999999999999").then().statusCode(200)
                .body("items.size()", is(0)).body("nextCursor", nullValue());
    }

    @Test
    void theOpenApiDocumentDescribesPollingAndMentionsTheWebSocket() {
        JsonPath openapi = RestAssured.given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath();
        Map<String, Object> poll = openapi.getMap("paths.'/api/v1/events'.get");
        assertThat(poll).containsKeys("summary", "description", "parameters", "responses");
        assertThat(openapi.getList("paths.'/api/v1/events'.get.parameters.name", String.class))
                .contains("after", "limit", "type", "assignee");
        assertThat(openapi.getMap("paths.'/api/v1/events'.get.responses")).containsKeys("200", "400", "401", "410");
        assertThat(openapi.getString("tags.find { it.name == 'Events' }.description")).contains("/api/v1/events/ws");
    }

    private static JsonPath page(TestAgent who, String query) {
        return who.request().get("/api/v1/events?" + query).then().statusCode(200).extract().jsonPath();
    }
}
