package dev.olympus.metrics;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.path.json.config.JsonPathConfig.NumberReturnType;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/**
 * The incident's hour, replayed into the event log with known timestamps: 50 tasks created in one hour, 25 of them
 * retries, 30 done and 20 failed, known cycle times; in the next hour two completions are reopened (one finished
 * again, one canceled) and a failure is reopened. The endpoint must give exactly these numbers.
 *
 * <p>Events are inserted with SQL (the API cannot write the past) under a creator name and task ids of their own,
 * so other tests' events never mix in.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VelocityTest {

    static final Instant H = Instant.parse("2021-06-01T10:00:00Z");

    @Inject
    Pool pool;

    TestAgent reader;
    String creator;
    String other;
    String assigneeA;
    String assigneeB;
    long base;
    final List<Tuple> events = new ArrayList<>();

    /** Once per class; in @BeforeEach because RestAssured knows the test port only from there. */
    @BeforeEach
    void seedTheIncident() {
        if (reader != null) {
            return;
        }
        reader = Api.agent("observer");
        creator = Api.uniqueName("vel");
        other = Api.uniqueName("vel");
        assigneeA = Api.uniqueName("vel");
        assigneeB = Api.uniqueName("vel");
        // Task ids of our own: negative, so that no real task's history mixes into the per-task look-ups.
        base = -1_000_000L * ThreadLocalRandom.current().nextLong(1, 1_000_000);

        for (int i = 1; i <= 50; i++) {
            String assignee = i <= 10 ? assigneeA : assigneeB;
            Instant created = H.plus(Duration.ofMinutes(i - 1));
            Instant started = created.plusSeconds(5);
            Long retryOf = i > 25 ? base - 1000 - i : null;
            // Task 10 is created unassigned and assigned to A before it starts: filters see the assignee of the time.
            event("task.created", created, i, task(i, "todo", i == 10 ? null : assignee, retryOf, null), null, null);
            if (i == 10) {
                event("task.assigned", created.plusSeconds(1), i, task(i, "todo", assignee, null, null), null, assignee);
            }
            status(started, i, assignee, started, "todo", "in_progress");
            if (i == 5) { // released and taken again: a second move to in_progress is not a second start
                status(started.plusSeconds(20), i, assignee, started, "in_progress", "todo");
                status(started.plusSeconds(30), i, assignee, started, "todo", "in_progress");
            }
            if (i <= 30) {
                status(started.plusSeconds(10L * i), i, assignee, started, "in_progress", "done");
            } else {
                status(started.plusSeconds(30), i, assignee, started, "in_progress", "failed");
            }
        }
        Instant started1 = H.plusSeconds(5);
        Instant started2 = H.plusSeconds(65);
        // Hour two: task 1 reopened and done again; task 2 reopened and canceled; failed task 31 reopened.
        status(Instant.parse("2021-06-01T11:05:00Z"), 1, assigneeA, started1, "done", "todo");
        status(Instant.parse("2021-06-01T11:10:00Z"), 1, assigneeA, started1, "todo", "in_progress");
        status(Instant.parse("2021-06-01T11:20:00Z"), 1, assigneeA, started1, "in_progress", "done");
        status(Instant.parse("2021-06-01T11:05:30Z"), 2, assigneeA, started2, "done", "todo");
        status(Instant.parse("2021-06-01T11:30:00Z"), 2, assigneeA, started2, "todo", "canceled");
        status(Instant.parse("2021-06-01T11:06:00Z"), 31, assigneeB, H.plusSeconds(30 * 60 + 5), "failed", "todo");
        // Just outside [10:00, 12:00): never counted by the hourly query.
        event("task.created", Instant.parse("2021-06-01T09:59:59.999Z"), 51, task(51, "todo", assigneeB, null, null), null, null);
        event("task.created", Instant.parse("2021-06-01T12:00:00Z"), 52, task(52, "todo", assigneeB, null, null), null, null);
        // Traps: an assignment whose "to" is an agent named like a status, and another creator's work.
        event("task.assigned", H.plusSeconds(7), 3, task(3, "in_progress", "done", null, null), "x", "done");
        JsonObject foreign = task(99, "done", assigneeB, null, H.plusSeconds(100)).put("createdBy", other);
        event("task.created", H.plusSeconds(90), 99, foreign, null, null);
        event("task.status_changed", H.plusSeconds(200), 99, foreign, "in_progress", "done");

        pool.preparedQuery("INSERT INTO events (type, at, actor, task_id, data) VALUES ($1, $2, $3, $4, $5)")
                .executeBatch(events).await().atMost(Duration.ofSeconds(30));
    }

    @Test
    void theIncidentHourAndTheNextOneGiveExactlyTheKnownNumbers() {
        JsonPath v = velocity(Map.of("since", "2021-06-01T10:00:00Z", "until", "2021-06-01T12:00:00Z",
                "createdBy", creator));
        assertThat(v.getString("since")).isEqualTo("2021-06-01T10:00:00Z");
        assertThat(v.getString("until")).isEqualTo("2021-06-01T12:00:00Z");
        assertThat(v.getString("bucket")).isEqualTo("hour");
        assertThat(v.getList("buckets")).hasSize(2);

        Map<String, Object> first = v.getMap("buckets[0]");
        assertThat(first.get("start")).isEqualTo("2021-06-01T10:00:00Z");
        assertCounts(first, 50, 50, 30, 20, 0, 0, 25);
        assertThat(number(first, "failureRate")).isEqualTo(0.4, within(1e-9));
        assertThat(number(first, "completionRatio")).isEqualTo(0.6, within(1e-9));
        assertThat(number(first, "retryShare")).isEqualTo(0.5, within(1e-9));
        // Cycle times 10 s, 20 s, ... 300 s: the median interpolates 150 and 160, the 90th 270 and 280.
        assertThat(number(first, "cycleTimeP50Seconds")).isEqualTo(155.0, within(1e-6));
        assertThat(number(first, "cycleTimeP90Seconds")).isEqualTo(271.0, within(1e-6));
        // 30 completions, 2 of them reopened later: 28 real ones in this hour.
        assertThat(number(first, "effectiveVelocity")).isEqualTo(28.0, within(1e-9));

        Map<String, Object> second = v.getMap("buckets[1]");
        assertThat(second.get("start")).isEqualTo("2021-06-01T11:00:00Z");
        assertCounts(second, 0, 0, 1, 0, 1, 3, 0);
        assertThat(number(second, "failureRate")).isEqualTo(0.0);
        assertThat(second.get("completionRatio")).isNull(); // nothing created: undefined, not 0
        assertThat(second.get("retryShare")).isNull();
        // Task 1 first started at 10:00:05 and was done (again) at 11:20:00.
        assertThat(number(second, "cycleTimeP50Seconds")).isEqualTo(4795.0, within(1e-6));
        assertThat(number(second, "cycleTimeP90Seconds")).isEqualTo(4795.0, within(1e-6));
        assertThat(number(second, "effectiveVelocity")).isEqualTo(1.0, within(1e-9));

        Map<String, Object> total = v.getMap("total");
        assertThat(total).doesNotContainKey("start");
        assertCounts(total, 50, 50, 31, 20, 1, 3, 25);
        assertThat(number(total, "failureRate")).isEqualTo(20.0 / 51, within(1e-9));
        assertThat(number(total, "completionRatio")).isEqualTo(0.62, within(1e-9));
        assertThat(number(total, "retryShare")).isEqualTo(0.5, within(1e-9));
        assertThat(number(total, "cycleTimeP50Seconds")).isEqualTo(160.0, within(1e-6));
        assertThat(number(total, "cycleTimeP90Seconds")).isEqualTo(280.0, within(1e-6));
        assertThat(number(total, "effectiveVelocity")).isEqualTo(14.5, within(1e-9)); // 29 kept completions in 2 h
    }

    @Test
    void theAssigneeFilterUsesTheAssigneeAtTheTimeOfEachEvent() {
        JsonPath v = velocity(Map.of("since", "2021-06-01T10:00:00Z", "until", "2021-06-01T12:00:00Z",
                "createdBy", creator, "assignee", assigneeA));
        // Task 10 was created unassigned: its creation is not A's, its start and completion are.
        assertCounts(v.getMap("total"), 9, 10, 11, 0, 1, 2, 0);
        assertThat(number(v.getMap("total"), "effectiveVelocity")).isEqualTo(4.5, within(1e-9));
        assertCounts(v.getMap("buckets[0]"), 9, 10, 10, 0, 0, 0, 0);
    }

    @Test
    void partialBucketsCountOnlyTheirCoveredHoursAndTheRangeIsHalfOpen() {
        JsonPath v = velocity(Map.of("since", "2021-06-01T10:30:00Z", "until", "2021-06-01T11:30:00Z",
                "createdBy", creator));
        assertThat(v.getList("buckets.start")).containsExactly("2021-06-01T10:00:00Z", "2021-06-01T11:00:00Z");
        // Tasks 27..30 were done in [10:30, 11:00): 4 completions in half an hour.
        assertThat(number(v.getMap("buckets[0]"), "completed")).isEqualTo(4.0);
        assertThat(number(v.getMap("buckets[0]"), "effectiveVelocity")).isEqualTo(8.0, within(1e-9));
        assertThat(number(v.getMap("buckets[1]"), "effectiveVelocity")).isEqualTo(2.0, within(1e-9));
        assertThat(number(v.getMap("total"), "effectiveVelocity")).isEqualTo(5.0, within(1e-9));

        JsonPath day = velocity(Map.of("since", "2021-06-01T00:00:00Z", "until", "2021-06-02T00:00:00Z",
                "bucket", "day", "createdBy", creator));
        assertThat(day.getList("buckets.start")).containsExactly("2021-06-01T00:00:00Z");
        assertThat(number(day.getMap("buckets[0]"), "created")).isEqualTo(52.0); // 09:59:59.999 and 12:00 are in the day
        assertThat(number(day.getMap("total"), "effectiveVelocity")).isEqualTo(29.0 / 24, within(1e-9));
    }

    @Test
    void emptyBucketsAreListedWithZeros() {
        JsonPath v = velocity(Map.of("since", "2021-06-01T07:00:00Z", "until", "2021-06-01T09:00:00Z",
                "createdBy", creator));
        assertThat(v.getList("buckets")).hasSize(2);
        Map<String, Object> empty = v.getMap("buckets[0]");
        assertCounts(empty, 0, 0, 0, 0, 0, 0, 0);
        assertThat(empty.get("failureRate")).isNull();
        assertThat(empty.get("cycleTimeP50Seconds")).isNull();
        assertThat(number(empty, "effectiveVelocity")).isEqualTo(0.0);
        assertThat(v.getMap("total")).containsEntry("created", 0);
    }

    @Test
    void defaultsAreTheLast24HoursByHour() {
        JsonPath v = reader.request().get("/api/v1/metrics/velocity").then().statusCode(200).extract().jsonPath();
        Instant since = Instant.parse(v.getString("since"));
        Instant until = Instant.parse(v.getString("until"));
        assertThat(Duration.between(since, until)).isEqualTo(Duration.ofHours(24));
        assertThat(Duration.between(until, Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
        assertThat(v.getString("bucket")).isEqualTo("hour");
        assertThat(v.getList("buckets").size()).isBetween(24, 25);
    }

    @Test
    void meMeansTheCaller() {
        TestAgent orchestrator = Api.agent("orchestrator");
        Api.task(orchestrator, "counted for me", null);
        orchestrator.request().queryParam("createdBy", "me").get("/api/v1/metrics/velocity")
                .then().statusCode(200).body("total.created", is(1)).body("total.retryShare", is(0.0f));
    }

    /** An answered question counts in the answer times, through both filters (asker and creator of the task). */
    @Test
    void answeredQuestionsGiveAnswerTimes() {
        TestAgent orchestrator = Api.agent("orchestrator");
        long task = Api.task(orchestrator, "asks a question", null);
        long question = orchestrator.request().body(Map.of("question", "CSV or JSON?", "to", "human"))
                .post("/api/v1/tasks/" + task + "/questions").then().statusCode(201).extract().jsonPath().getLong("id");
        Api.admin().body(Map.of("answer", "JSON")).post("/api/v1/questions/" + question + "/answer").then().statusCode(200);
        for (String filter : List.of("createdBy", "assignee")) {
            JsonPath v = orchestrator.request().queryParam(filter, orchestrator.name()).get("/api/v1/metrics/velocity")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(v.getDouble("total.questionAnswerP50Seconds")).as(filter).isGreaterThanOrEqualTo(0.0);
            assertThat(v.getDouble("total.questionAnswerP90Seconds")).as(filter)
                    .isGreaterThanOrEqualTo(v.getDouble("total.questionAnswerP50Seconds"));
        }
        // Nobody else's questions: no answer times at all.
        Api.agent("orchestrator").request().queryParam("createdBy", "me").get("/api/v1/metrics/velocity")
                .then().statusCode(200).body("total.questionAnswerP50Seconds", is((Object) null));
    }

    @Test
    void badParametersAre400() {
        expect400(Map.of("since", "yesterday"), "since");
        expect400(Map.of("until", "2021-13-01T00:00:00Z"), "until");
        expect400(Map.of("since", "2021-06-01T12:00:00Z", "until", "2021-06-01T12:00:00Z"), "since");
        expect400(Map.of("since", "2021-06-02T00:00:00Z", "until", "2021-06-01T00:00:00Z"), "since");
        expect400(Map.of("bucket", "week"), "bucket");
        expect400(Map.of("assignee", "Not A Name"), "assignee");
        // A year by the hour is 8760 buckets; by the day it is fine.
        expect400(Map.of("since", "2020-01-01T00:00:00Z", "until", "2021-01-01T00:00:00Z"), "bucket");
        reader.request().queryParams(Map.of("since", "2020-01-01T00:00:00Z", "until", "2021-01-01T00:00:00Z", "bucket", "day"))
                .get("/api/v1/metrics/velocity").then().statusCode(200).body("buckets.size()", is(366));
        given().get("/api/v1/metrics/velocity").then().statusCode(401);
    }

    @Test
    void theMigrationsBackfillProjectsTheHistoryExactlyLikeTheTrigger() throws Exception {
        String backfill;
        try (var in = getClass().getResourceAsStream("/db/migration/V6__velocity_events.sql")) {
            String migration = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            backfill = migration.substring(migration.indexOf("INSERT INTO velocity_events", migration.indexOf("-- Backfill")));
        }
        String mine = "SELECT event_id, task_id, at, kind, from_status, to_status, retry, assignee, created_by, first_start,"
                + " cycle_seconds, reopened_later FROM velocity_events WHERE task_id BETWEEN $1 AND $2 ORDER BY event_id";
        Tuple range = Tuple.of(base - 1000, base);
        List<String> byTrigger = rows(mine, range);
        assertThat(byTrigger).hasSize(50 + 50 + 2 + 50 + 6 + 2 + 2); // created, started, restarted, outcomes, hour two, edges, foreign

        pool.preparedQuery("DELETE FROM velocity_events WHERE task_id BETWEEN $1 AND $2").execute(range)
                .await().atMost(Duration.ofSeconds(10));
        pool.query(backfill).execute().await().atMost(Duration.ofSeconds(30));
        assertThat(rows(mine, range)).containsExactlyElementsOf(byTrigger);
    }

    private List<String> rows(String sql, Tuple params) {
        List<String> rows = new ArrayList<>();
        pool.preparedQuery(sql).execute(params).await().atMost(Duration.ofSeconds(10))
                .forEach(row -> rows.add(row.toJson().encode()));
        return rows;
    }

    private void expect400(Map<String, String> params, String field) {
        reader.request().queryParams(params).get("/api/v1/metrics/velocity").then()
                .statusCode(400).contentType("application/problem+json")
                .body("code", is("validation-failed")).body("errors.field", hasItem(field));
    }

    private JsonPath velocity(Map<String, String> params) {
        return reader.request().queryParams(params).get("/api/v1/metrics/velocity")
                .then().statusCode(200).extract().jsonPath().using(new JsonPathConfig(NumberReturnType.DOUBLE));
    }

    private static void assertCounts(Map<String, Object> counts, long created, long started, long completed, long failed,
                                     long canceled, long reopened, long retries) {
        assertThat(counts).containsEntry("created", (int) created).containsEntry("started", (int) started)
                .containsEntry("completed", (int) completed).containsEntry("failed", (int) failed)
                .containsEntry("canceled", (int) canceled).containsEntry("reopened", (int) reopened)
                .containsEntry("retries", (int) retries);
    }

    private static double number(Map<String, Object> counts, String field) {
        return ((Number) counts.get(field)).doubleValue();
    }

    // ---- the synthetic history ----

    private JsonObject task(int n, String status, String assignee, Long retryOf, Instant startedAt) {
        return new JsonObject().put("id", base - n).put("title", "incident task " + n).put("status", status)
                .put("assignee", assignee).put("createdBy", creator).put("retryOf", retryOf)
                .put("attempt", retryOf == null ? 1 : 2)
                .put("startedAt", startedAt == null ? null : startedAt.toString());
    }

    private void status(Instant at, int n, String assignee, Instant startedAt, String from, String to) {
        event("task.status_changed", at, n, task(n, to, assignee, n > 25 && n <= 50 ? base - 1000 - n : null, startedAt),
                from, to);
    }

    private void event(String type, Instant at, int n, JsonObject task, String from, String to) {
        JsonObject data = new JsonObject().put("task", task);
        if (from != null || to != null) {
            data.put("from", from).put("to", to);
        }
        events.add(Tuple.of(type, OffsetDateTime.ofInstant(at, ZoneOffset.UTC), task.getString("createdBy"), base - n, data));
    }
}
