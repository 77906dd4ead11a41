package dev.olympus.task;

import dev.olympus.testing.TimeTravel;
import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.ProblemShape;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static org.hamcrest.Matchers.*;

/**
 * Blocking needs a reason (the cases TaskApiTest does not already cover): only a recent comment by the same
 * agent counts, and an inline comment is stored with the status or not at all.
 */
@QuarkusTest
@ExtendWith(ProblemShape.class)
class BlockingReasonTest {

    @Inject
    Pool pool;

    private void sql(String statement) {
        pool.query(statement).execute().await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void anOldCommentOrSomeoneElsesCommentIsNoReason() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long id = Api.task(orchestrator, "needs a fresh reason", worker.name());
        orchestrator.request().body(Map.of("body", "the orchestrator's comment")).post("/api/v1/tasks/" + id + "/comments")
                .then().statusCode(201);
        worker.request().body(Map.of("body", "waiting for the schema")).post("/api/v1/tasks/" + id + "/comments")
                .then().statusCode(201);
        // the worker's comment ages past olympus.blocked.comment-window (10 min)
        TimeTravel.backdate(pool, "comments", "created_at", Duration.ofMinutes(11), "task_id = $1 AND author = $2", id, worker.name());

        worker.request().body(Map.of("status", "blocked")).patch("/api/v1/tasks/" + id)
                .then().statusCode(422).contentType("application/problem+json").body("code", is("block-reason-required"));
        worker.request().get("/api/v1/tasks/" + id).then().body("status", is("todo")).body("version", is(1));
    }

    @Test
    void anInlineCommentIsTheReasonAndIsStoredWithTheStatus() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long id = Api.task(orchestrator, "blocked inline", worker.name());
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + id).then().statusCode(200);

        worker.request().body(Map.of("status", "blocked", "comment", "need the staging credentials"))
                .patch("/api/v1/tasks/" + id)
                .then().statusCode(200).body("status", is("blocked")).body("commentCount", is(1));
        worker.request().get("/api/v1/tasks/" + id + "/comments").then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].author", is(worker.name()))
                .body("items[0].body", is("need the staging credentials"));
    }

    @Test
    void aRefusedBlockStoresNeitherTheStatusNorTheInlineComment() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long id = Api.task(orchestrator, "refused block", worker.name());
        // A stale If-Match refuses the whole patch after the comment was accepted as a reason.
        worker.request().header("If-Match", "\"7\"").body(Map.of("status", "blocked", "comment", "blocked on review"))
                .patch("/api/v1/tasks/" + id).then().statusCode(412);
        // The comment insert fails in the database, after the status UPDATE ran in the same transaction (a trigger
        // made for this test refuses one body): both are rolled back.
        sql("""
                CREATE OR REPLACE FUNCTION refuse_test_comment() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.body = 'this comment fails in the database' THEN
                        RAISE EXCEPTION 'refused for the test' USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                END $$""");
        sql("CREATE OR REPLACE TRIGGER refuse_test_comment BEFORE INSERT ON comments FOR EACH ROW EXECUTE FUNCTION refuse_test_comment()");
        try {
            worker.request().body(Map.of("status", "blocked", "comment", "this comment fails in the database"))
                    .patch("/api/v1/tasks/" + id).then().statusCode(409).body("code", is("constraint-violation"));
        } finally {
            sql("DROP TRIGGER refuse_test_comment ON comments");
            sql("DROP FUNCTION refuse_test_comment()");
        }
        // An empty inline comment is invalid: nothing is stored either.
        worker.request().body(Map.of("status", "blocked", "comment", "")).patch("/api/v1/tasks/" + id)
                .then().statusCode(400);
        worker.request().get("/api/v1/tasks/" + id).then().body("status", is("todo")).body("commentCount", is(0));
        worker.request().get("/api/v1/tasks/" + id + "/comments").then().body("items", empty());
    }
}
