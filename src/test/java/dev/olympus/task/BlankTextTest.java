package dev.olympus.task;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.ProblemShape;
import dev.olympus.web.StrictStrings;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * Blank after trimming is empty (issue 16): a block reason, an inline comment or a comment body made only of
 * whitespace is refused with 400 validation-failed naming the field, nothing is stored, and a blank comment is
 * no reason to block. The database's has_text and StrictStrings.blank are one rule.
 */
@QuarkusTest
@ExtendWith(ProblemShape.class)
class BlankTextTest {

    private static final String[] BLANKS = {" ", "   ", " \t\n\r ", "\u2003\u3000", "\u2028"};

    @Inject
    Pool pool;

    @Test
    void aBlankInlineCommentIsNoBlockReasonAndNothingIsStored() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long id = Api.task(orchestrator, "blank reason", worker.name());
        for (String blank : BLANKS) {
            worker.request().body(Map.of("status", "blocked", "comment", blank)).patch("/api/v1/tasks/" + id)
                    .then().statusCode(400).body("code", is("validation-failed"))
                    .body("errors[0].field", is("comment")).body("errors[0].message", is("must not be blank"));
        }
        worker.request().get("/api/v1/tasks/" + id).then().body("status", is("todo")).body("commentCount", is(0));
        worker.request().get("/api/v1/tasks/" + id + "/comments").then().body("items", empty());
    }

    @Test
    void aBlankCommentBodyIsRefused() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long id = Api.task(orchestrator, "blank comment", worker.name());
        for (String blank : BLANKS) {
            worker.request().body(Map.of("body", blank)).post("/api/v1/tasks/" + id + "/comments")
                    .then().statusCode(400).body("code", is("validation-failed"))
                    .body("errors[0].field", is("body")).body("errors[0].message", is("must not be blank"));
        }
        worker.request().get("/api/v1/tasks/" + id).then().body("commentCount", is(0));
        // A no-break space is not whitespace (Character.isWhitespace): such a comment is text.
        worker.request().body(Map.of("body", "\u00A0")).post("/api/v1/tasks/" + id + "/comments").then().statusCode(201);
    }

    @Test
    void aBlankRecentCommentIsNoBlockReason() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long id = Api.task(orchestrator, "blank old comment", worker.name());
        // A blank comment can only predate the rule: write one past the CHECK (put back NOT VALID, as V14 adds it).
        pool.query("""
                        ALTER TABLE comments DROP CONSTRAINT IF EXISTS comments_body_has_text;
                        INSERT INTO comments (task_id, author, body) VALUES (%d, '%s', '   ');
                        DO $$ BEGIN
                            IF to_regprocedure('has_text(text)') IS NOT NULL THEN
                                ALTER TABLE comments ADD CONSTRAINT comments_body_has_text CHECK (has_text(body)) NOT VALID;
                            END IF;
                        END $$""".formatted(id, worker.name()))
                .execute().await().atMost(Duration.ofSeconds(10));
        worker.request().body(Map.of("status", "blocked")).patch("/api/v1/tasks/" + id)
                .then().statusCode(422).body("code", is("block-reason-required"));
        worker.request().body(Map.of("body", "waiting for the schema")).post("/api/v1/tasks/" + id + "/comments")
                .then().statusCode(201);
        worker.request().body(Map.of("status", "blocked")).patch("/api/v1/tasks/" + id)
                .then().statusCode(200).body("status", is("blocked"));
    }

    @Test
    void theDatabaseRuleIsTheJavaRuleForEveryCharacter() {
        Set<Integer> blankInSql = new TreeSet<>();
        for (Row row : pool.preparedQuery("""
                        SELECT c FROM generate_series(1, 65535) c
                        WHERE c NOT BETWEEN 55296 AND 57343 AND NOT has_text(chr(c))""")
                .execute().await().atMost(Duration.ofSeconds(10))) {
            blankInSql.add(row.getInteger(0));
        }
        Set<Integer> blankInJava = new TreeSet<>();
        for (int c = 1; c <= 0xFFFF; c++) {
            if (!Character.isSurrogate((char) c) && StrictStrings.blank(String.valueOf((char) c))) {
                blankInJava.add(c);
            }
        }
        assertThat(blankInSql).isEqualTo(blankInJava).contains(0x20, 0x09, 0x3000).doesNotContain(0xA0, 0x41);
        assertThat(pool.preparedQuery("SELECT has_text($1), has_text($2)").execute(Tuple.of(" \t x ", " \t\n "))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getBoolean(1)).isFalse();
    }
}
