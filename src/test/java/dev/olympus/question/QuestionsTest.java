package dev.olympus.question;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** Questions over REST: the full cycle, the inbox per role, who may answer, and bad input (API.md "Questions"). */
@QuarkusTest
class QuestionsTest {

    private TestAgent main;
    private TestAgent worker;

    @BeforeEach
    void team() {
        main = Api.agent("orchestrator");
        worker = Api.agent("worker");
    }

    /** A task claimed by the worker: its id and lease epoch. */
    private long[] claimed() {
        String label = Api.uniqueName("q");
        long id = Api.task(main, Map.of("labels", List.of(label)));
        Response claim = worker.request().body(Map.of("labels", List.of(label))).post("/api/v1/tasks/claim");
        claim.then().statusCode(200);
        return new long[] {id, claim.jsonPath().getLong("leaseEpoch")};
    }

    private Response ask(TestAgent asker, long taskId, Map<String, Object> body) {
        return asker.request().body(body).post("/api/v1/tasks/" + taskId + "/questions");
    }

    private Response answer(TestAgent answerer, long questionId, Map<String, Object> body) {
        return answerer.request().body(body).post("/api/v1/questions/" + questionId + "/answer");
    }

    @Test
    void askingBlocksAndTheAnswerGivesTheTaskBackToItsHolder() {
        long[] held = claimed();
        long id = held[0];
        long after = Api.admin().get("/api/v1/events?limit=1").jsonPath().getLong("head");

        Response asked = ask(worker, id, Map.of("question", "  Postgres 15 or 16?  ", "options", List.of("15", "16")));
        asked.then().statusCode(201).header("Location", org.hamcrest.Matchers.endsWith("/api/v1/questions/" + asked.jsonPath().getLong("id")))
                .body("taskId", is((int) id)).body("askedBy", is(worker.name())).body("to", is("orchestrator"))
                .body("question", is("Postgres 15 or 16?")).body("options", is(List.of("15", "16")))
                .body("state", is("open")).body("answer", nullValue()).body("answeredBy", nullValue());
        long qid = asked.jsonPath().getLong("id");
        Api.admin().get("/api/v1/tasks/" + id).then().body("status", is("blocked")).body("leaseExpiresAt", nullValue());

        // The orchestrator's inbox has it; the asker sees its own; another worker does not.
        main.request().get("/api/v1/questions?state=open&taskId=" + id).then().statusCode(200).body("items.id", hasItem((int) qid));
        worker.request().get("/api/v1/questions?taskId=" + id).then().body("items.id", hasItem((int) qid));
        TestAgent stranger = Api.agent("worker");
        stranger.request().get("/api/v1/questions?taskId=" + id).then().statusCode(200).body("items", is(List.of()));
        stranger.request().get("/api/v1/questions/" + qid).then().statusCode(403);
        answer(stranger, qid, Map.of("answer", "16")).then().statusCode(403).body("code", is("forbidden"));

        Response answered = answer(main, qid, Map.of("choice", "16", "answer", "16: we need MERGE RETURNING"));
        answered.then().statusCode(200).body("state", is("answered")).body("answeredBy", is(main.name()))
                .body("choice", is("16")).body("answer", is("16: we need MERGE RETURNING"));
        assertThat(answered.jsonPath().getString("answeredAt")).endsWith("Z");

        // Back in progress under the same holder and lease epoch, lease renewed; the answer is a comment.
        Response task = Api.admin().get("/api/v1/tasks/" + id);
        task.then().body("status", is("in_progress")).body("assignee", is(worker.name()))
                .body("leaseEpoch", is((int) held[1])).body("leaseExpiresAt", not(nullValue())).body("commentCount", is(1));
        Api.admin().get("/api/v1/tasks/" + id + "/comments").then()
                .body("items[0].author", is(main.name())).body("items[0].body", org.hamcrest.Matchers.containsString("MERGE RETURNING"));
        // The asker's epoch still works.
        worker.request().header("Olympus-Lease-Epoch", held[1]).body(Map.of("status", "done", "result", "on 16"))
                .patch("/api/v1/tasks/" + id).then().statusCode(200);

        // Events: asked (visible to the addressee's role) and answered (visible to the asker, a worker).
        List<String> types = worker.request().get("/api/v1/events?after=" + after + "&limit=200").jsonPath().getList("items.type");
        assertThat(types).contains("task.question_asked", "task.question_answered", "task.status_changed", "task.commented");

        answer(main, qid, Map.of("answer", "again")).then().statusCode(409).body("code", is("already-answered"));
        Api.admin().get("/api/v1/tasks/" + id).then().body("commentCount", is(1));
    }

    @Test
    void addressingAndWhoMayAnswer() {
        long[] held = claimed();
        long toHuman = ask(worker, held[0], Map.of("question", "May I drop the table?", "to", "human")).jsonPath().getLong("id");
        answer(main, toHuman, Map.of("answer", "yes")).then().statusCode(403);
        Api.admin().get("/api/v1/questions?to=human&state=open").then().body("items.id", hasItem((int) toHuman));
        main.request().get("/api/v1/questions/" + toHuman).then().statusCode(200).body("to", is("human"));
        answer(Api.agent("operator"), toHuman, Map.of("answer", "no, archive it")).then().statusCode(200);

        TestAgent reviewer = Api.agent("worker");
        long toAgent = ask(worker, held[0], Map.of("question", "Is the schema final?", "to", reviewer.name())).jsonPath().getLong("id");
        reviewer.request().get("/api/v1/questions?to=me&state=open").then().body("items.id", is(List.of((int) toAgent)));
        answer(main, toAgent, Map.of("answer", "I think so")).then().statusCode(403);
        answer(reviewer, toAgent, Map.of("answer", "final")).then().statusCode(200);
        Api.admin().get("/api/v1/tasks/" + held[0]).then().body("status", is("in_progress"));
    }

    @Test
    void aSecondOpenQuestionKeepsTheTaskBlockedUntilBothAreAnswered() {
        long[] held = claimed();
        long first = ask(worker, held[0], Map.of("question", "first?")).jsonPath().getLong("id");
        long second = ask(worker, held[0], Map.of("question", "second?")).jsonPath().getLong("id");
        answer(main, first, Map.of("answer", "one")).then().statusCode(200);
        Api.admin().get("/api/v1/tasks/" + held[0]).then().body("status", is("blocked"));
        answer(main, second, Map.of("answer", "two")).then().statusCode(200);
        Api.admin().get("/api/v1/tasks/" + held[0]).then().body("status", is("in_progress")).body("leaseEpoch", is((int) held[1]));
    }

    @Test
    void badInputChangesNothing() {
        long[] held = claimed();
        long id = held[0];
        ask(worker, id, Map.of("question", "   ")).then().statusCode(400).body("code", is("validation-failed"))
                .body("errors.field", hasItem("question"));
        ask(worker, id, Map.of("question", "which?", "options", List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11")))
                .then().statusCode(400).body("errors.field", hasItem("options"));
        ask(worker, id, Map.of("question", "who?", "to", "nobody-" + Api.uniqueName("x").substring(0, 8))).then().statusCode(400)
                .body("errors.field", hasItem("to"));
        TestAgent killed = Api.agent("worker");
        Api.admin().body(Map.of("reason", "test")).post("/api/v1/agents/" + killed.name() + "/kill").then().statusCode(200);
        ask(worker, id, Map.of("question", "you?", "to", killed.name())).then().statusCode(400).body("errors.field", hasItem("to"));
        ask(Api.agent("worker"), id, Map.of("question", "not mine?")).then().statusCode(403);
        ask(Api.agent("observer"), id, Map.of("question", "watching?")).then().statusCode(403);
        Api.admin().get("/api/v1/tasks/" + id).then().body("status", is("in_progress"));
        Api.admin().get("/api/v1/questions?taskId=" + id).then().body("items", is(List.of()));

        long qid = ask(worker, id, Map.of("question", "A or B?", "options", List.of("A", "B"))).jsonPath().getLong("id");
        answer(main, qid, Map.of("choice", "C")).then().statusCode(400).body("errors.field", hasItem("choice"));
        answer(main, qid, Map.of("answer", "  ")).then().statusCode(400).body("errors.field", hasItem("answer"));
        Api.admin().get("/api/v1/questions/" + qid).then().body("state", is("open"));
        answer(main, qid, Map.of("choice", "B")).then().statusCode(200).body("answer", is("B"));

        worker.request().body(Map.of("status", "done", "result", "ok")).patch("/api/v1/tasks/" + id).then().statusCode(200);
        ask(worker, id, Map.of("question", "too late?")).then().statusCode(409).body("code", is("invalid-transition"))
                .body("currentStatus", is("done"));
        Api.admin().get("/api/v1/questions?state=bogus").then().statusCode(400).body("errors.field", hasItem("state"));
        answer(main, 999_999_999L, Map.of("answer", "?")).then().statusCode(404);
    }

    @Test
    void twoConcurrentAnswersMakeOneAnswerAndOneComment() throws Exception {
        for (int round = 0; round < 5; round++) {
            long[] held = claimed();
            long qid = ask(worker, held[0], Map.of("question", "race " + round)).jsonPath().getLong("id");
            TestAgent other = Api.agent("orchestrator");
            var a = java.util.concurrent.CompletableFuture.supplyAsync(() -> answer(main, qid, Map.of("answer", "mine")).statusCode());
            var b = java.util.concurrent.CompletableFuture.supplyAsync(() -> answer(other, qid, Map.of("answer", "theirs")).statusCode());
            assertThat(List.of(a.get(), b.get())).containsExactlyInAnyOrder(200, 409);
            Api.admin().get("/api/v1/tasks/" + held[0]).then().body("commentCount", is(1)).body("status", is("in_progress"));
        }
    }

    @Test
    void anOrchestratorMayAskAboutAnUnstartedTaskWhichReturnsToTodo() {
        long id = Api.task(main, Map.of());
        long qid = ask(main, id, Map.of("question", "Should this wait for Q3?", "to", "human")).jsonPath().getLong("id");
        Api.admin().get("/api/v1/tasks/" + id).then().body("status", is("blocked"));
        answer(Api.agent("operator"), qid, Map.of("answer", "no")).then().statusCode(200);
        Api.admin().get("/api/v1/tasks/" + id).then().body("status", is("todo"));
    }
}
