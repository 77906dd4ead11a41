package dev.olympus.dashboard;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.olympus.testing.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** The two small API additions the dashboard needs: a revive reason, and every label in use. */
@QuarkusTest
class DashboardApiTest {

    @Test
    void aReviveReasonIsStoredShownAndInTheEvent() {
        TestAgent worker = Api.agent("worker");
        worker.request().body(Map.of("note", "reading the parser")).post("/api/v1/agents/me/heartbeat").then().statusCode(200);
        admin().body(Map.of("reason", "looping")).post("/api/v1/agents/" + worker.name() + "/kill").then().statusCode(200);
        admin().body(Map.of("reason", "   ")).post("/api/v1/agents/" + worker.name() + "/revive").then().statusCode(400)
                .body("code", is("validation-failed"));
        admin().body(Map.of("reason", "  fixed the prompt  ")).post("/api/v1/agents/" + worker.name() + "/revive").then()
                .statusCode(200)
                .body("state", is("active"))
                .body("reviveReason", is("fixed the prompt"))
                .body("revivedBy", is("admin"))
                .body("lastHeartbeatNote", is("reading the parser"));
        admin().get("/api/v1/agents/" + worker.name()).then().statusCode(200).body("reviveReason", is("fixed the prompt"));
        JsonPath events = admin().get("/api/v1/events?after=0&limit=200&type=agent.revived").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> items = events.getList("items");
        assertThat(items.stream().filter(e -> worker.name().equals(e.get("agent")))
                .map(e -> ((Map<?, ?>) e.get("data")).get("reason")).toList()).isNotEmpty();

        // Without a body, as before: no reason.
        admin().body(Map.of("reason", "again")).post("/api/v1/agents/" + worker.name() + "/kill").then().statusCode(200);
        admin().post("/api/v1/agents/" + worker.name() + "/revive").then().statusCode(200).body("reviveReason", nullValue());
    }

    @Test
    void labelsListsEveryLabelInUseWithCounts() {
        TestAgent orchestrator = Api.agent("orchestrator");
        String a = Api.uniqueName("lbl-a");
        String b = Api.uniqueName("lbl-b");
        Api.task(orchestrator, Map.of("title", "one", "labels", List.of(a, b)));
        long done = Api.task(orchestrator, Map.of("title", "two", "labels", List.of(a)));
        orchestrator.request().body(Map.of("status", "canceled")).patch("/api/v1/tasks/" + done).then().statusCode(200);

        List<Map<String, Object>> all = new java.util.ArrayList<>();
        String cursor = null;
        do {
            var request = Api.agent("observer").request().queryParam("limit", 200);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/labels").then().statusCode(200).extract().jsonPath();
            all.addAll(page.getList("items"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(all).contains(Map.of("name", a, "tasks", 2, "openTasks", 1), Map.of("name", b, "tasks", 1, "openTasks", 1));
        List<String> names = all.stream().map(m -> (String) m.get("name")).toList();
        assertThat(names).isSorted().doesNotHaveDuplicates();
        admin().get("/api/v1/labels?limit=0").then().statusCode(400).body("code", is("validation-failed"));
    }
}
