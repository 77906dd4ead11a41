package dev.olympus.reliability;

import dev.olympus.testing.OlympusProcess;
import dev.olympus.testing.TestDatabase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based hostile input against the packaged application: random and malformed JSON, huge numbers,
 * deep nesting, invalid UTF-8, control characters, SQL and script fragments. Whatever comes in, the answer is
 * a 2xx or a 4xx problem+json, never a 5xx; and text that is accepted comes back byte-identical.
 */
class HostileInputIT {

    private static final String ADMIN = "olk_hostile-admin-key-0123456789abcdefghij";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> NASTY = List.of(
            "'; DROP TABLE tasks; --", "\" OR \"1\"=\"1", "<script>alert(1)</script>", "%", "_", "\\", "\\\\x00",
            "${jndi:ldap://x}", "{{7*7}}", "\u202e\u200b", "𝕆𝕝𝕪𝕞𝕡𝕦𝕤", "\t\r\n", "null", "[]", "{}", "🙂", "ä",
            "\u0001\u001f", "\u007f", "\ud800", "a".repeat(70_000));
    private static final List<String> TASK_FIELDS = List.of("title", "description", "assignee", "priority", "labels",
            "dependsOn", "maxAttempts", "status", "result", "comment", "body", "name", "role", "capabilities", "wipLimit",
            "heartbeatIntervalSeconds");

    private static OlympusProcess instance;
    private static long taskId;

    @BeforeContainer
    static void start() throws Exception {
        Map<String, String> config = new HashMap<>(TestDatabase.get().newDatabase("hostile"));
        config.put("olympus.bootstrap-key", ADMIN);
        // Guard rails would answer most of these with 429; here we want the endpoints themselves.
        config.put("olympus.tasks.create-budget-per-minute", "1000000");
        config.put("olympus.tasks.max-open-per-creator", "1000000");
        config.put("olympus.tasks.duplicate-window", "0s");
        config.put("olympus.rate-limit.enabled", "false");
        instance = OlympusProcess.start(config);
        var created = send("POST", "/api/v1/tasks", "application/json", "{\"title\":\"target\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(created.statusCode()).isEqualTo(201);
        taskId = Long.parseLong(field(created.body(), "id"));
    }

    @AfterContainer
    static void stop() {
        if (instance != null) {
            instance.close();
        }
    }

    @Property(tries = 1500)
    void createTaskWithAnyBody(@ForAll("bodies") byte[] body) throws Exception {
        var response = send("POST", "/api/v1/tasks", "application/json", body);
        assertNoServerError(response, body);
        if (response.statusCode() == 201) {
            var stored = send("GET", "/api/v1/tasks/" + field(response.body(), "id"), null, null);
            assertThat(stored.body()).isEqualTo(response.body().replaceAll("\"commentCount\":\\d+", "\"commentCount\":0"));
        }
    }

    @Property(tries = 1500)
    void patchTaskWithAnyBody(@ForAll("bodies") byte[] body) throws Exception {
        assertNoServerError(send("PATCH", "/api/v1/tasks/" + taskId, "application/merge-patch+json", body), body);
    }

    @Property(tries = 800)
    void commentWithAnyBody(@ForAll("bodies") byte[] body) throws Exception {
        assertNoServerError(send("POST", "/api/v1/tasks/" + taskId + "/comments", "application/json", body), body);
    }

    @Property(tries = 800)
    void createAgentWithAnyBody(@ForAll("bodies") byte[] body) throws Exception {
        assertNoServerError(send("POST", "/api/v1/agents", "application/json", body), body);
    }

    @Property(tries = 1500)
    void listTasksWithAnyQuery(@ForAll("queries") String query) throws Exception {
        var response = send("GET", "/api/v1/tasks?" + query, null, null);
        assertNoServerError(response, query.getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isIn(200, 400);
    }

    @Property(tries = 300)
    void acceptedTextComesBackByteIdentical(@ForAll("nastyText") String title, @ForAll("nastyText") String description)
            throws Exception {
        String shortTitle = title.length() > 200 ? title.substring(0, 200) : title;
        byte[] body = JSON.writeValueAsBytes(Map.of("title", shortTitle, "description", description));
        var response = send("POST", "/api/v1/tasks", "application/json", body);
        assertNoServerError(response, body);
        if (response.statusCode() == 201) {
            var stored = JSON.readTree(send("GET", "/api/v1/tasks/" + field(response.body(), "id"), null, null).body());
            assertThat(stored.get("title").textValue().getBytes(StandardCharsets.UTF_8))
                    .isEqualTo(shortTitle.getBytes(StandardCharsets.UTF_8));
            assertThat(stored.get("description").textValue().getBytes(StandardCharsets.UTF_8))
                    .isEqualTo(description.getBytes(StandardCharsets.UTF_8));
        } else {
            // Refused text is text that cannot be stored faithfully: NUL, unpaired surrogates, or too long.
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(shortTitle.isBlank() || unstorable(shortTitle) || unstorable(description) || description.length() > 65536)
                    .as("refused %s / %s: %s", shortTitle, description, response.body()).isTrue();
        }
    }

    private static boolean unstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return true;
            }
            if (Character.isHighSurrogate(c) && (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1)))) {
                return true;
            }
            if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)))) {
                return true;
            }
        }
        return false;
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.oneOf(
                json().map(s -> s.getBytes(StandardCharsets.UTF_8)),
                json().map(s -> s.substring(0, s.length() / 2).getBytes(StandardCharsets.UTF_8)), // truncated
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300), // random, mostly invalid UTF-8
                Arbitraries.integers().between(1, 5000).map(n -> ("[".repeat(n) + "]".repeat(n)).getBytes(StandardCharsets.UTF_8)),
                Arbitraries.integers().between(1, 3000).map(n -> ("{\"title\":" + "{\"a\":".repeat(n) + "1" + "}".repeat(n + 1))
                        .getBytes(StandardCharsets.UTF_8)),
                Arbitraries.of("{\"title\":\"t\",\"maxAttempts\":1e400}", "{\"title\":\"t\",\"maxAttempts\":99999999999999999999999}",
                                "{\"title\":\"t\",\"dependsOn\":[-1]}", "{\"title\":\"t\",\"dependsOn\":[9223372036854775807]}",
                                "{\"title\":\"t\",\"wipLimit\":-1}", "{\"title\":\"\\ud800\"}", "{\"title\":\"a\\u0000\"}",
                                "", " ", "null", "true", "\"title\"", "{\"title\":\"t\"}{\"title\":\"u\"}",
                                "{\"title\":\"t\",\"title\":\"u\"}")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.just(new byte[]{'{', '"', 't', 'i', 't', 'l', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}));
    }

    private Arbitrary<String> json() {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.of(NASTY).map(HostileInputIT::jsonString),
                Arbitraries.strings().ofMaxLength(50).map(HostileInputIT::jsonString),
                Arbitraries.longs().map(Object::toString),
                Arbitraries.doubles().map(Object::toString),
                Arbitraries.of("true", "false", "null", "1e309", "-0", "[]", "{}", "[1,\"a\",null]",
                        "\"critical\"", "\"done\"", "\"blocked\"", "\"worker\""));
        Arbitrary<String> member = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.of(TASK_FIELDS), Arbitraries.strings().alpha().ofMaxLength(8)), scalar)
                .as((k, v) -> jsonString(k) + ":" + v);
        return member.list().ofMaxSize(6).map(members -> "{" + String.join(",", members) + "}");
    }

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> name = Arbitraries.of("assignee", "status", "priority", "label", "ready", "needsAttention",
                "createdBy", "updatedSince", "q", "limit", "cursor", "unknown");
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of(NASTY), Arbitraries.strings().ofMaxLength(30),
                Arbitraries.of("me", "todo,done", "true", "-1", "0", "201", "99999999999", "2026-01-01T00:00:00Z", "", ","));
        return Combinators.combine(name, value).as((n, v) -> n + "=" + URLEncoder.encode(v.length() > 500 ? v.substring(0, 500) : v,
                StandardCharsets.UTF_8)).list().ofMaxSize(4).map(parts -> String.join("&", parts));
    }

    @Provide
    Arbitrary<String> nastyText() {
        return Arbitraries.oneOf(Arbitraries.of(NASTY), Arbitraries.strings().ofMinLength(1).ofMaxLength(80));
    }

    private static void assertNoServerError(HttpResponse<String> response, byte[] sent) {
        assertThat(response.statusCode())
                .as("request %s answered %s", new String(sent, 0, Math.min(sent.length, 200), StandardCharsets.UTF_8), response.body())
                .isLessThan(500);
        if (response.statusCode() >= 400) {
            assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }
    }

    private static HttpResponse<String> send(String method, String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(instance.baseUrl() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + ADMIN);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertThat(matcher.find()).as("%s in %s", name, json).isTrue();
        return matcher.group(1);
    }

    static String jsonString(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029' || c == '/') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
