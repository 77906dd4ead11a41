package dev.olympus.ratelimit;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The RateLimit fields on every API response, with values that are right. */
@QuarkusTest
class RateLimitHeadersTest {

    private static final Pattern POLICY = Pattern.compile("\"default\";q=(\\d+);w=(\\d+)");
    private static final Pattern LIMIT = Pattern.compile("\"default\";r=(\\d+);t=(\\d+)");

    @Test
    void remainingDecreasesByOnePerRequestAndResetIsWithinTheWindow() {
        TestAgent observer = Api.agent("observer");
        Response first = observer.request().get("/api/v1/tasks?limit=1");
        assertThat(first.statusCode()).isEqualTo(200);
        Matcher policy = match(POLICY, first.header("RateLimit-Policy"));
        long quota = Long.parseLong(policy.group(1));
        long window = Long.parseLong(policy.group(2));
        assertThat(quota).isEqualTo(300);
        assertThat(window).isEqualTo(60);

        long previousReset = window;
        for (int i = 0; i < 5; i++) {
            Response response = i == 0 ? first : observer.request().get("/api/v1/tasks?limit=1");
            Matcher limit = match(LIMIT, response.header("RateLimit"));
            // a fresh agent: its first request opened the window, each one uses one unit
            assertThat(Long.parseLong(limit.group(1))).isEqualTo(quota - 1 - i);
            long reset = Long.parseLong(limit.group(2));
            assertThat(reset).isBetween(1L, previousReset);
            previousReset = reset;
        }
    }

    @Test
    void errorsCarryTheFieldsTooAndCountAsRequests() {
        TestAgent worker = Api.agent("worker");
        Response notFound = worker.request().get("/api/v1/tasks/999999999");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(match(LIMIT, notFound.header("RateLimit")).group(1)).isEqualTo("299");
        Response forbidden = worker.request().body(Map.of("title", "nope")).post("/api/v1/tasks");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(match(LIMIT, forbidden.header("RateLimit")).group(1)).isEqualTo("298");
        assertThat(forbidden.header("RateLimit-Policy")).isEqualTo("\"default\";q=300;w=60");
    }

    @Test
    void rolesHaveTheirOwnPolicies() {
        assertThat(Api.agent("orchestrator").request().get("/api/v1/tasks?limit=1").header("RateLimit-Policy"))
                .isEqualTo("\"default\";q=600;w=60");
        assertThat(Api.admin().get("/api/v1/tasks?limit=1").header("RateLimit-Policy"))
                .isEqualTo("\"default\";q=1200;w=60");
    }

    @Test
    void taskCreationAlsoReportsTheCreationBudget() {
        TestAgent orchestrator = Api.agent("orchestrator");
        Response created = orchestrator.request().body(Map.of("title", "budgeted")).post("/api/v1/tasks");
        assertThat(created.statusCode()).isEqualTo(201);
        // the test profile raises the budget (100000 per 60 s) for the shared suite; the IT runs the real one
        assertThat(created.header("RateLimit-Policy")).startsWith("\"task-create\";q=100000;w=60, \"default\";q=600;w=60");
        assertThat(created.header("RateLimit")).startsWith("\"task-create\";r=99999;t=60, \"default\";r=");
        Response second = orchestrator.request().body(Map.of("title", "budgeted again")).post("/api/v1/tasks");
        Matcher budget = match(Pattern.compile("\"task-create\";r=(\\d+);t=(\\d+)"), second.header("RateLimit"));
        assertThat(budget.group(1)).isEqualTo("99998");
        assertThat(Long.parseLong(budget.group(2))).isBetween(1L, 60L);
    }

    @Test
    void unauthenticatedRequestsHaveNoAgentAndNoFields() {
        Response response = RestAssured.given().get("/api/v1/tasks");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.header("RateLimit")).isNull();
    }

    private static Matcher match(Pattern pattern, String value) {
        assertThat(value).isNotNull();
        Matcher matcher = pattern.matcher(value);
        assertThat(matcher.find()).as("%s in %s", pattern, value).isTrue();
        return matcher;
    }
}
