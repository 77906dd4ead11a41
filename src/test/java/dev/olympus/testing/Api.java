package dev.olympus.testing;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/** Small helpers for API tests: agents with fresh names and authenticated requests. */
public final class Api {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String RUN = Integer.toString(ThreadLocalRandom.current().nextInt(1_000_000), 36);

    private Api() {}

    /** An agent created for one test, with its API key. */
    public record TestAgent(String name, String key, String role) {
        public RequestSpecification request() {
            return as(key);
        }
    }

    public static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    public static RequestSpecification admin() {
        return as(PostgresResource.ADMIN_KEY);
    }

    /** A unique agent name: tests share one database, so names never repeat. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + RUN + "-" + COUNTER.incrementAndGet();
    }

    public static TestAgent agent(String role) {
        return agent(role, Map.of());
    }

    public static TestAgent agent(String role, Map<String, Object> extra) {
        String name = uniqueName(role.substring(0, 3));
        Map<String, Object> body = new HashMap<>(extra);
        body.put("name", name);
        body.put("role", role);
        String key = admin().body(body).post("/api/v1/agents").then().statusCode(201).extract().path("apiKey");
        return new TestAgent(name, key, role);
    }

    /** Creates a task as {@code creator}; returns its id. */
    public static long task(TestAgent creator, Map<String, Object> body) {
        Map<String, Object> full = new HashMap<>(body);
        full.putIfAbsent("title", "task " + COUNTER.incrementAndGet());
        return creator.request().body(full).post("/api/v1/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Moves a task to {@code status} as {@code agent}; the move must succeed. */
    public static void move(TestAgent agent, long id, String status) {
        agent.request().body(Map.of("status", status)).patch("/api/v1/tasks/" + id).then().statusCode(200);
    }

    public static long task(TestAgent creator, String title, String assignee) {
        Map<String, Object> body = new HashMap<>();
        body.put("title", title);
        if (assignee != null) {
            body.put("assignee", assignee);
        }
        return task(creator, body);
    }
}
