package dev.olympus.auth;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.ProblemShape;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.olympus.testing.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of the service × every kind of caller → the expected status.
 *
 * <p>The endpoints are read at runtime from {@code /q/openapi}: an endpoint without a row in {@link #ROWS} (or a row
 * without an endpoint) fails {@link #everyEndpointHasARow()}. Adding an endpoint means adding ONE line to
 * {@link #ROWS}: method, path template as OpenAPI shows it, how to build a concrete request, and the status for
 * operator, orchestrator, worker on its own resource, worker on another's, observer. The remaining columns are the
 * same for every endpoint and need no line: a killed agent's key gets 403 {@code agent-killed}; a revoked key, no
 * credential, an expired and a tampered access token get 401.
 *
 * <p>"Own resource": for task endpoints, a task assigned to the calling worker; for agent endpoints, the calling
 * worker itself. For the other columns the resource belongs to another worker. Tasks are fresh in every cell and
 * operator cells get a fresh owner, so that a cell that changes something (a kill, a revocation, a status) cannot
 * change the outcome of another; a cell that changes global state registers its cleanup (see
 * {@link Ctx#unfreezeAfter()}).
 */
@QuarkusTest
@ExtendWith(ProblemShape.class)
class AuthorizationMatrixTest {

    // @formatter:off
    private static final List<Row> ROWS = List.of(
        //   method    path                                           request                                                                                 oper orch own  other obs
        row("GET",    "/api/v1/agents",                               c -> c.req("/api/v1/agents"),                                                           200, 200, 200, 200, 200),
        row("POST",   "/api/v1/agents",                               c -> c.req("/api/v1/agents", Map.of("name", Api.uniqueName("m"), "role", "worker")),    201, 403, 403, 403, 403),
        row("GET",    "/api/v1/agents/{name}",                        c -> c.req("/api/v1/agents/" + c.ownerName()),                                          200, 200, 200, 200, 200),
        row("GET",    "/api/v1/agents/{name}/keys",                   c -> c.req("/api/v1/agents/" + c.ownerName() + "/keys"),                                200, 403, 403, 403, 403),
        row("POST",   "/api/v1/agents/{name}/keys",                   c -> c.req("/api/v1/agents/" + c.ownerName() + "/keys"),                                201, 403, 403, 403, 403),
        row("DELETE", "/api/v1/agents/{name}/keys/{keyId}",           c -> c.req("/api/v1/agents/" + c.ownerName() + "/keys/" + c.ownerKeyId()),              204, 403, 403, 403, 403),
        row("POST",   "/api/v1/agents/{name}/kill",                   c -> c.req("/api/v1/agents/" + c.ownerName() + "/kill", Map.of("reason", "matrix")),    200, 403, 403, 403, 403),
        row("POST",   "/api/v1/agents/{name}/revive",                 c -> c.req("/api/v1/agents/" + c.ownerName() + "/revive"),                              200, 403, 403, 403, 403),
        row("POST",   "/api/v1/agents/{name}/pause",                  c -> c.resumeAfter().req("/api/v1/agents/" + c.ownerName() + "/pause", Map.of("reason", "matrix")), 200, 200, 403, 403, 403),
        row("POST",   "/api/v1/agents/{name}/resume",                 c -> c.req("/api/v1/agents/" + c.ownerName() + "/resume"),                              200, 200, 403, 403, 403),
        row("POST",   "/api/v1/auth/token",                           c -> c.req("/api/v1/auth/token"),                                                       200, 200, 200, 200, 200),
        row("GET",    "/api/v1/labels",                               c -> c.req("/api/v1/labels"),                                                           200, 200, 200, 200, 200),
        row("GET",    "/api/v1/system",                               c -> c.req("/api/v1/system"),                                                           200, 200, 200, 200, 200),
        row("GET",    "/api/v1/agents/{name}/budget",                 c -> c.ownerBudget().req("/api/v1/agents/" + c.ownerName() + "/budget"),                200, 200, 200, 200, 200),
        row("PUT",    "/api/v1/agents/{name}/budget",                 c -> c.ownerBudget().req("/api/v1/agents/" + c.ownerName() + "/budget", Ctx.BUDGET),    200, 403, 403, 403, 403),
        row("DELETE", "/api/v1/agents/{name}/budget",                 c -> c.ownerBudget().req("/api/v1/agents/" + c.ownerName() + "/budget"),                204, 403, 403, 403, 403),
        row("GET",    "/api/v1/system/budget",                        c -> c.systemBudget().req("/api/v1/system/budget"),                                     200, 200, 200, 200, 200),
        row("PUT",    "/api/v1/system/budget",                        c -> c.systemBudget().req("/api/v1/system/budget", Ctx.BUDGET),                         200, 403, 403, 403, 403),
        row("DELETE", "/api/v1/system/budget",                        c -> c.systemBudget().req("/api/v1/system/budget"),                                     204, 403, 403, 403, 403),
        row("POST",   "/api/v1/system/freeze",                        c -> c.unfreezeAfter().req("/api/v1/system/freeze", Map.of("reason", "matrix")),        200, 403, 403, 403, 403),
        row("POST",   "/api/v1/system/unfreeze",                      c -> c.req("/api/v1/system/unfreeze"),                                                  200, 403, 403, 403, 403),
        row("GET",    "/api/v1/tasks",                                c -> c.req("/api/v1/tasks"),                                                            200, 200, 200, 200, 200),
        row("POST",   "/api/v1/tasks",                                c -> c.req("/api/v1/tasks", Map.of("title", Api.uniqueName("matrix"))),                 201, 201, 403, 403, 403),
        row("POST",   "/api/v1/plans",                                c -> c.req("/api/v1/plans", Map.of("tasks", List.of(Map.of("ref", "a", "title", Api.uniqueName("plan"))))), 201, 201, 403, 403, 403),
        row("GET",    "/api/v1/tasks/{id}",                           c -> c.req("/api/v1/tasks/" + c.task()),                                                200, 200, 200, 200, 200),
        row("PATCH",  "/api/v1/tasks/{id}",                           c -> c.req("/api/v1/tasks/" + c.task(), Map.of("status", "in_progress")),               200, 403, 200, 403, 403),
        row("GET",    "/api/v1/tasks/{id}/comments",                  c -> c.req("/api/v1/tasks/" + c.task() + "/comments"),                                  200, 200, 200, 200, 200),
        row("POST",   "/api/v1/tasks/{id}/comments",                  c -> c.req("/api/v1/tasks/" + c.task() + "/comments", Map.of("body", "matrix")),        201, 201, 201, 201, 403),
        row("GET",    "/api/v1/tasks/{id}/comments/{commentId}",      c -> c.req("/api/v1/tasks/" + c.task() + "/comments/" + c.comment()),                   200, 200, 200, 200, 200),
        row("GET",    "/api/v1/tasks/{id}/history",                   c -> c.req("/api/v1/tasks/" + c.task() + "/history"),                                   200, 200, 200, 200, 200),
        row("POST",   "/api/v1/tasks/claim",                          c -> c.req("/api/v1/tasks/claim", Map.of("labels", List.of("matrix-none"))),            204, 204, 204, 204, 403),
        row("POST",   "/api/v1/tasks/{id}/cancel",                    c -> c.req("/api/v1/tasks/" + c.task() + "/cancel", Map.of("reason", "matrix")),        200, 200, 403, 403, 403),
        row("POST",   "/api/v1/tasks/{id}/retry",                     c -> c.req("/api/v1/tasks/" + c.task() + "/retry"),                                     409, 409, 403, 403, 403),
        row("PUT",    "/api/v1/tasks/{id}/dependencies",              c -> c.req("/api/v1/tasks/" + c.task() + "/dependencies", Map.of("dependsOn", List.of())), 200, 200, 403, 403, 403),
        row("POST",   "/api/v1/agents/me/heartbeat",                  c -> c.req("/api/v1/agents/me/heartbeat", Map.of("status", "idle")),                    200, 200, 200, 200, 200),
        row("GET",    "/api/v1/events",                               c -> c.req("/api/v1/events"),                                                           200, 200, 200, 200, 200),
        row("POST",   "/api/v1/tasks/{id}/questions",                 c -> c.req("/api/v1/tasks/" + c.task() + "/questions", Map.of("question", "matrix?")), 201, 201, 201, 403, 403),
        row("GET",    "/api/v1/questions",                            c -> c.req("/api/v1/questions"),                                                        200, 200, 200, 200, 200),
        row("GET",    "/api/v1/questions/{id}",                       c -> c.req("/api/v1/questions/" + c.question()),                                        200, 200, 200, 403, 200),
        row("POST",   "/api/v1/questions/{id}/answer",                c -> c.req("/api/v1/questions/" + c.question() + "/answer", Map.of("answer", "matrix")), 200, 200, 403, 403, 403),
        row("GET",    "/api/v1/webhooks",                             c -> c.req("/api/v1/webhooks"),                                                         200, 403, 403, 403, 403),
        row("POST",   "/api/v1/webhooks",                             c -> c.req("/api/v1/webhooks", Map.of("url", "http://127.0.0.1:9/matrix")),             201, 403, 403, 403, 403),
        row("GET",    "/api/v1/webhooks/{id}",                        c -> c.req("/api/v1/webhooks/" + c.webhook()),                                          200, 403, 403, 403, 403),
        row("PATCH",  "/api/v1/webhooks/{id}",                        c -> c.req("/api/v1/webhooks/" + c.webhook(), Map.of("state", "paused")),               200, 403, 403, 403, 403),
        row("DELETE", "/api/v1/webhooks/{id}",                        c -> c.req("/api/v1/webhooks/" + c.webhook()),                                          204, 403, 403, 403, 403),
        row("GET",    "/api/v1/webhooks/{id}/deliveries",             c -> c.req("/api/v1/webhooks/" + c.webhook() + "/deliveries"),                          200, 403, 403, 403, 403),
        row("POST",   "/api/v1/webhooks/{id}/replay",                 c -> c.req("/api/v1/webhooks/" + c.webhook() + "/replay", Map.of("after", 0)),          200, 403, 403, 403, 403),
        row("POST",   "/api/v1/webhooks/{id}/secret",                 c -> c.req("/api/v1/webhooks/" + c.webhook() + "/secret"),                              200, 403, 403, 403, 403),
        row("GET",    "/api/v1/metrics/velocity",                     c -> c.req("/api/v1/metrics/velocity"),                                                 200, 200, 200, 200, 200)
    );
    // @formatter:on

    /** The columns that depend on the endpoint. */
    enum Who { OPERATOR, ORCHESTRATOR, WORKER_OWN, WORKER_OTHER, OBSERVER }

    /** The columns that are the same for every endpoint: credential problems. */
    enum BadCredential {
        KILLED(403, "agent-killed"), REVOKED_KEY(401, "unauthorized"), NONE(401, "unauthorized"),
        EXPIRED_JWT(401, "unauthorized"), TAMPERED_JWT(401, "unauthorized");

        final int status;
        final String code;

        BadCredential(int status, String code) {
            this.status = status;
            this.code = code;
        }
    }

    record Row(String method, String path, Function<Ctx, Req> request, Map<Who, Integer> expected) {
        String endpoint() {
            return method + " " + path;
        }
    }

    record Req(String path, Object body) {}

    private static Row row(String method, String path, Function<Ctx, Req> request,
                           int operator, int orchestrator, int workerOwn, int workerOther, int observer) {
        return new Row(method, path, request, Map.of(Who.OPERATOR, operator, Who.ORCHESTRATOR, orchestrator,
                Who.WORKER_OWN, workerOwn, Who.WORKER_OTHER, workerOther, Who.OBSERVER, observer));
    }

    @Inject
    JwtKeys keys;

    @Test
    void everyEndpointHasARow() {
        Map<String, Object> paths = new JsonObject(RestAssured.given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString()).getJsonObject("paths").getMap();
        Set<String> endpoints = new TreeSet<>();
        paths.forEach((path, operations) -> {
            if (path.startsWith("/api/")) {
                for (String method : ((Map<?, ?>) operations).keySet().stream().map(Object::toString).toList()) {
                    if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(method)) {
                        endpoints.add(method.toUpperCase() + " " + path);
                    }
                }
            }
        });
        Set<String> rows = ROWS.stream().map(Row::endpoint).collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(endpoints);
        missing.removeAll(rows);
        Set<String> stale = new TreeSet<>(rows);
        stale.removeAll(endpoints);
        assertThat(missing).as("endpoints without a row in AuthorizationMatrixTest.ROWS (add one line each)").isEmpty();
        assertThat(stale).as("rows in AuthorizationMatrixTest.ROWS without an endpoint").isEmpty();
        assertThat(ROWS.stream().map(Row::endpoint).distinct().count()).as("duplicate rows").isEqualTo(ROWS.size());
    }

    @Test
    void everyCallerGetsTheExpectedStatusFromEveryEndpoint() {
        List<String> mismatches = new ArrayList<>();
        Map<BadCredential, String> bad = badCredentials();
        // Callers are shared across rows; only an operator can change the owner of a resource (kill it, revoke its
        // key), so operator cells get a fresh owner each. Tasks and comments are fresh in every cell.
        Map<Who, TestAgent> callers = new java.util.EnumMap<>(Who.class);
        for (Who who : Who.values()) {
            callers.put(who, Api.agent(role(who)));
        }
        TestAgent sharedOwner = Api.agent("worker");
        for (Row row : ROWS) {
            Planner planner = new Planner();
            for (Who who : Who.values()) {
                TestAgent caller = callers.get(who);
                TestAgent owner = switch (who) {
                    case OPERATOR -> Api.agent("worker");
                    case WORKER_OWN -> caller;
                    default -> sharedOwner;
                };
                Ctx ctx = new Ctx(owner, planner);
                try {
                    Req req = row.request().apply(ctx);
                    int status = send(Api.as(caller.key()), row.method(), req);
                    if (status != row.expected().get(who)) {
                        mismatches.add(row.endpoint() + " as " + who + ": " + status + ", expected " + row.expected().get(who));
                    }
                } finally {
                    ctx.cleanUp();
                }
            }
            // Credential problems are refused before anything else, whatever the request: one shared fixture.
            Ctx shared = new Ctx(sharedOwner, planner);
            try {
                Req req = row.request().apply(shared);
                for (BadCredential credential : BadCredential.values()) {
                    RequestSpecification spec = credential == BadCredential.NONE
                            ? RestAssured.given().contentType("application/json") : Api.as(bad.get(credential));
                    var response = sendFor(spec, row.method(), req);
                    String code = response.getContentType().contains("json") ? response.path("code") : null;
                    if (response.statusCode() != credential.status || !credential.code.equals(code)) {
                        mismatches.add(row.endpoint() + " with " + credential + ": " + response.statusCode() + " " + code
                                + ", expected " + credential.status + " " + credential.code);
                    }
                }
            } finally {
                shared.cleanUp(); // a system budget left behind would change every later test's budget period
            }
        }
        assertThat(mismatches).as("authorization matrix mismatches").isEmpty();
    }

    private Map<BadCredential, String> badCredentials() {
        TestAgent killed = Api.agent("worker");
        admin().body(Map.of("reason", "matrix")).post("/api/v1/agents/" + killed.name() + "/kill").then().statusCode(200);

        TestAgent revoked = Api.agent("worker");
        String revokedKeyId = admin().get("/api/v1/agents/" + revoked.name() + "/keys").then().extract().path("items[0].keyId");
        admin().delete("/api/v1/agents/" + revoked.name() + "/keys/" + revokedKeyId).then().statusCode(204);

        TestAgent live = Api.agent("worker");
        String token = AccessTokenTest.token(live.key());
        Map<String, Object> claims = AccessTokenTest.claims(token);
        long now = Instant.now().getEpochSecond();
        String expired = Jwt.issuer("olympus").subject(live.name()).upn(live.name()).groups(Set.of("worker"))
                .claim("key_id", claims.get("key_id")).claim("gen", claims.get("gen"))
                .issuedAt(now - 2000).expiresAt(now - 1100).jws().sign(keys.privateKey());
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"worker\"", "\"operator\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        return Map.of(BadCredential.KILLED, killed.key(), BadCredential.REVOKED_KEY, revoked.key(),
                BadCredential.EXPIRED_JWT, expired, BadCredential.TAMPERED_JWT, tampered, BadCredential.NONE, "");
    }

    private static String role(Who who) {
        return switch (who) {
            case OPERATOR -> "operator";
            case ORCHESTRATOR -> "orchestrator";
            case WORKER_OWN, WORKER_OTHER -> "worker";
            case OBSERVER -> "observer";
        };
    }

    private static int send(RequestSpecification spec, String method, Req req) {
        return sendFor(spec, method, req).statusCode();
    }

    private static io.restassured.response.Response sendFor(RequestSpecification spec, String method, Req req) {
        if (req.body() != null) {
            spec = spec.body(req.body());
        }
        return spec.request(method, req.path());
    }

    /** The orchestrator creating one row's tasks (task creation has a per-creator budget). */
    static final class Planner {
        private TestAgent agent;

        TestAgent get() {
            if (agent == null) {
                agent = Api.agent("orchestrator");
            }
            return agent;
        }
    }

    /** Fixtures of one cell: the resources belong to {@code owner}; created on demand. */
    static final class Ctx {
        private final TestAgent owner;
        private final Planner planner;
        private final List<Runnable> cleanups = new ArrayList<>();
        private Long task;
        private Long comment;
        private Long question;
        private Long webhook;

        Ctx(TestAgent owner, Planner planner) {
            this.owner = owner;
            this.planner = planner;
        }

        Req req(String path) {
            return new Req(path, null);
        }

        Req req(String path, Object body) {
            return new Req(path, body);
        }

        String ownerName() {
            return owner.name();
        }

        String ownerKeyId() {
            return admin().get("/api/v1/agents/" + owner.name() + "/keys").then().statusCode(200).extract().path("items[0].keyId");
        }

        /** A task assigned to the owner, in {@code todo}, created by a planner of its own. */
        long task() {
            if (task == null) {
                task = Api.task(planner.get(), Api.uniqueName("matrix"), owner.name());
            }
            return task;
        }

        long comment() {
            if (comment == null) {
                comment = planner.get().request().body(Map.of("body", "matrix")).post("/api/v1/tasks/" + task() + "/comments")
                        .then().statusCode(201).extract().jsonPath().getLong("id");
            }
            return comment;
        }

        /** An open question the owner asked the orchestrators about its task. */
        long question() {
            if (question == null) {
                question = owner.request().body(Map.of("question", "matrix?")).post("/api/v1/tasks/" + task() + "/questions")
                        .then().statusCode(201).extract().jsonPath().getLong("id");
            }
            return question;
        }

        /** A paused webhook to a closed port (nothing is delivered), deleted after the cell. */
        long webhook() {
            if (webhook == null) {
                webhook = admin().body(Map.of("url", "http://127.0.0.1:9/matrix")).post("/api/v1/webhooks")
                        .then().statusCode(201).extract().jsonPath().getLong("webhook.id");
                admin().body(Map.of("state", "paused")).patch("/api/v1/webhooks/" + webhook).then().statusCode(200);
                long id = webhook;
                cleanups.add(() -> admin().delete("/api/v1/webhooks/" + id));
            }
            return webhook;
        }

        /** A budget no test run comes near (nothing is paused by it). */
        static final Map<String, Object> BUDGET = Map.of("costUsd", 1000000, "period", "month");

        /** The owner has a budget during the cell (removed after it). */
        Ctx ownerBudget() {
            String path = "/api/v1/agents/" + owner.name() + "/budget";
            admin().body(BUDGET).put(path).then().statusCode(200);
            cleanups.add(() -> admin().delete(path));
            return this;
        }

        /** There is a system budget during the cell (removed after it). */
        Ctx systemBudget() {
            admin().body(BUDGET).put("/api/v1/system/budget").then().statusCode(200);
            cleanups.add(() -> admin().delete("/api/v1/system/budget"));
            return this;
        }

        /** The owner is shared by cells: a pause of it is undone after the cell. */
        Ctx resumeAfter() {
            cleanups.add(() -> admin().post("/api/v1/agents/" + owner.name() + "/resume").then().statusCode(200));
            return this;
        }

        Ctx unfreezeAfter() {
            cleanups.add(() -> admin().post("/api/v1/system/unfreeze").then().statusCode(200));
            return this;
        }

        void cleanUp() {
            cleanups.forEach(Runnable::run);
        }
    }
}
