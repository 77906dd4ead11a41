package dev.olympus.dashboard;

import dev.olympus.scheduler.MaintenanceJob;
import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steering from the page (issue 24): creating a task, a 412 resolved in the drawer, a requeue from the Attention
 * view, the board at 1280x800, the Agents view on a phone, and a worker offered only what its role can do.
 * Every test works on its own agents and label (the database is shared) and writes a screenshot.
 */
@QuarkusTest
class DashboardActionsTest extends BrowserTestBase {

    @Inject
    Pool pool;

    @Inject
    MaintenanceJob maintenance;

    /** Sizes the viewport (not the window: a headless window still has some chrome above the page). */
    private void size(int width, int height) {
        browser.driver.manage().window().setSize(new Dimension(width, height));
        int chromeHeight = ((Number) browser.js("return window.outerHeight - window.innerHeight")).intValue();
        browser.driver.manage().window().setSize(new Dimension(width, height + chromeHeight));
        browser.await(d -> ((Number) browser.js("return window.innerWidth")).intValue() == width);
        try {
            browser.waitUpTo(Duration.ofSeconds(2)).until(d -> ((Number) browser.js("return window.innerHeight")).intValue() == height);
        } catch (org.openqa.selenium.TimeoutException e) {
            // a screen smaller than the window: the page is then a little shorter, which changes no assertion
        }
    }

    private boolean shown(String css) {
        return browser.driver.findElements(By.cssSelector(css)).stream().anyMatch(WebElement::isDisplayed);
    }

    private JsonPath task(TestAgent reader, long id) {
        return reader.request().get("/api/v1/tasks/" + id).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void anOrchestratorCreatesATaskFromThePageAndSeesItOnTheBoard() {
        size(1280, 800);
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("create");
        long first = Api.task(orchestrator, Map.of("title", "Lay the foundation " + label, "labels", List.of(label)));
        signInAs(orchestrator);
        open("?label=" + label);
        browser.await(d -> present(card("todo", first)));

        // c opens the form (the page has focus, not a field).
        browser.js("document.activeElement && document.activeElement.blur()");
        browser.find("body").sendKeys("c");
        browser.await(d -> present("#task-dialog[open]"));
        browser.find("#tf-title").sendKeys("Raise the walls");
        browser.find("#tf-description").sendKeys("Two floors, brick.");
        browser.await(d -> new Select(browser.find("#tf-assignee")).getOptions().stream()
                .anyMatch(o -> worker.name().equals(o.getAttribute("value"))));
        new Select(browser.find("#tf-assignee")).selectByValue(worker.name());
        new Select(browser.find("#tf-priority")).selectByValue("high");
        browser.find("#tf-labels").sendKeys(label, Keys.ENTER);
        browser.find("#tf-labels").sendKeys("walls", Keys.ENTER);
        browser.find("#tf-deps").sendKeys("#" + first);
        browser.await(d -> present("#task-dialog .pick[data-task-id='" + first + "']"));
        browser.find("#task-dialog .pick[data-task-id='" + first + "']").click();
        browser.await(d -> present("#task-dialog .dep-chip[data-task-id='" + first + "']"));
        browser.screenshot(SHOTS.resolve("create-task.png"));
        long id = submitNewTask(first);
        assertThat(browser.find(card("todo", id) + " .card-title").getText()).isEqualTo("Raise the walls");
        assertThat(browser.find(card("todo", id) + " .badge.deps").getAttribute("title")).isEqualTo("waits for 1 dependency");
        JsonPath created = task(orchestrator, id);
        assertThat(created.getString("description")).isEqualTo("Two floors, brick.");
        assertThat(created.getString("assignee")).isEqualTo(worker.name());
        assertThat(created.getString("priority")).isEqualTo("high");
        assertThat(created.getList("labels", String.class)).containsExactly(label, "walls");
        assertThat(created.getList("dependsOn", Long.class)).containsExactly(first);
        assertThat(created.getString("createdBy")).isEqualTo(orchestrator.name());
        browser.screenshot(SHOTS.resolve("created-task.png"));

        // A rule's refusal shows the server's detail in the form: the same title again is a duplicate.
        browser.find("#new-task").click();
        browser.await(d -> present("#task-dialog[open]"));
        browser.find("#tf-title").sendKeys("Raise the walls");
        browser.find("#tf-submit").click();
        browser.await(d -> !browser.find("#tf-error").getText().isEmpty());
        assertThat(browser.find("#tf-error").getText()).contains("#" + id);
        browser.find("#tf-title").sendKeys(Keys.ESCAPE);
        browser.await(d -> !present("#task-dialog[open]"));
    }

    @Test
    void aVersionConflictIsShownAsADiffAndResolvedFromTheDrawer() {
        size(1280, 800);
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent other = Api.agent("orchestrator");
        String label = Api.uniqueName("conflict");
        long id = Api.task(orchestrator, Map.of("title", "Write the parser", "priority", "medium", "labels", List.of(label)));
        signInAs(orchestrator);
        open("?label=" + label + "&task=" + id);
        browser.await(d -> "Write the parser".equals(browser.find("#drawer-title").getText()) && present("#edit-task"));

        // e edits; meanwhile someone else raises the priority; Save is then refused with 412.
        browser.find("#drawer-close").sendKeys("e");
        browser.await(d -> present("#edit-title"));
        WebElement title = browser.find("#edit-title");
        title.clear();
        title.sendKeys("Write the JSON parser");
        other.request().body(Map.of("priority", "critical")).patch("/api/v1/tasks/" + id).then().statusCode(200);
        browser.await(d -> browser.find("#drawer .facts").getText().contains("version 2"));
        assertThat(browser.find("#edit-title").getAttribute("value")).isEqualTo("Write the JSON parser"); // the edit survives
        browser.find("#edit-save").click();

        browser.await(d -> present("#conflict"));
        assertThat(browser.find("#conflict").getText()).contains("version 1 → 2");
        assertThat(browser.find("#conflict li[data-field='priority']").getText()).contains("medium").contains("critical");
        assertThat(browser.driver.findElements(By.cssSelector("#conflict li[data-field='title']"))).isEmpty();
        browser.screenshot(SHOTS.resolve("conflict.png"));
        assertThat(task(orchestrator, id).getString("title")).isEqualTo("Write the parser"); // nothing written yet

        browser.find("#conflict-retry").click();
        browser.await(d -> !present("#conflict") && "Write the JSON parser".equals(browser.find("#drawer-title").getText()));
        JsonPath saved = task(orchestrator, id);
        assertThat(saved.getString("title")).isEqualTo("Write the JSON parser");
        assertThat(saved.getString("priority")).isEqualTo("critical"); // their change kept
        assertThat(saved.getLong("version")).isEqualTo(3);
        browser.await(d -> browser.find(card("todo", id) + " .card-title").getText().equals("Write the JSON parser"));

        // History in words: "renamed it", "changed the priority to critical".
        browser.await(d -> browser.find("#drawer .history-list").getText().contains("renamed it"));
        assertThat(browser.find("#drawer .history-list").getText()).contains("changed the priority to critical");
        browser.find("#drawer-close").click();
    }

    @Test
    void anOperatorRequeuesATaskWhoseLeaseExpiredFromTheAttentionView() {
        size(1280, 800);
        TestAgent operator = Api.agent("operator");
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("requeue");
        long id = Api.task(orchestrator, Map.of("title", "Long job " + label, "assignee", worker.name(), "labels", List.of(label)));
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + id).then().statusCode(200);
        pool.preparedQuery("UPDATE tasks SET lease_expires_at = now() - interval '1 second' WHERE id = $1")
                .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(10));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            maintenance.run().await().atMost(Duration.ofSeconds(30));
            return task(operator, id).getBoolean("needsAttention");
        });

        signInAs(operator);
        open("?view=attention");
        String item = "#attention li[data-task-id='" + id + "']";
        browser.await(d -> present(item + " button.requeue"));
        assertThat(browser.find(item + " .badge").getText()).isEqualTo("lease-expired");
        assertThat(browser.find(item).getText()).contains(worker.name());
        assertThat(browser.driver.getTitle()).matches("\\(\\d+ attention( · \\d+ questions?)?\\) Olympus");
        browser.screenshot(SHOTS.resolve("attention.png"));
        browser.find(item + " button.requeue").click();

        browser.await(d -> !present(item));
        JsonPath requeued = task(operator, id);
        assertThat(requeued.getString("status")).isEqualTo("todo");
        assertThat(requeued.getString("assignee")).isNull();
        assertThat(requeued.getBoolean("needsAttention")).isFalse();
        // The old holder is fenced out: its lease epoch moved on.
        worker.request().header("Olympus-Lease-Epoch", "1").body(Map.of("status", "done")).patch("/api/v1/tasks/" + id)
                .then().statusCode(403);
    }

    @Test
    void theBoardFitsALaptopScreenWithReadableNamesAndWholeBadges() {
        size(1280, 800);
        String sprint = Demo.seed();
        signInAs(Api.agent("operator"));
        open("?q=" + sprint);
        browser.await(d -> browser.driver.findElements(By.cssSelector("#board li[data-task-id]")).size() >= 9);
        browser.js("document.activeElement && document.activeElement.blur()");

        // No sideways scrolling, and every column (the finished ones share one) lies inside the window.
        assertThat(((Number) browser.js("return document.documentElement.scrollWidth - document.documentElement.clientWidth")).intValue())
                .isLessThanOrEqualTo(0);
        assertThat(((Number) browser.js("const b = document.getElementById('board'); return b.scrollWidth - b.clientWidth")).intValue())
                .isLessThanOrEqualTo(0);
        List<?> columns = (List<?>) browser.js("""
                return [...document.querySelectorAll('#board .column')].filter(c => c.offsetParent !== null)
                  .map(c => { const r = c.getBoundingClientRect(); return [c.dataset.status, r.left, r.right, r.width]; })""");
        assertThat(columns).hasSize(5);
        for (Object column : columns) {
            List<?> c = (List<?>) column;
            assertThat(((Number) c.get(1)).doubleValue()).isGreaterThanOrEqualTo(0);
            assertThat(((Number) c.get(2)).doubleValue()).isLessThanOrEqualTo(1280);
            assertThat(((Number) c.get(3)).doubleValue()).as("width of %s", c.get(0)).isGreaterThanOrEqualTo(200);
        }
        assertThat(browser.find(".final-switch").isDisplayed()).isTrue();

        // Assignee names keep a readable width and are whole (the full name is also the tooltip).
        List<?> names = (List<?>) browser.js("""
                return [...document.querySelectorAll('#board .card .assignee')].filter(e => e.offsetParent !== null)
                  .map(e => [e.textContent, e.clientWidth, e.scrollWidth, e.title])""");
        assertThat(names).isNotEmpty();
        for (Object name : names) {
            List<?> n = (List<?>) name;
            assertThat(((Number) n.get(1)).intValue()).as("width of %s", n.get(0)).isGreaterThanOrEqualTo(80);
            assertThat(((Number) n.get(2)).intValue()).as("%s is cut", n.get(0)).isLessThanOrEqualTo(((Number) n.get(1)).intValue());
            assertThat(n.get(3)).isEqualTo(n.get(0));
        }
        // Badges are never clipped: each lies inside its card and shows all its text.
        List<?> clipped = (List<?>) browser.js("""
                return [...document.querySelectorAll('#board .card .badge, #board .card .prio')].filter(b => b.offsetParent !== null)
                  .filter(b => { const r = b.getBoundingClientRect(), c = b.closest('.card').getBoundingClientRect();
                                 return b.scrollWidth > b.clientWidth + 1 || r.right > c.right - 1 || r.left < c.left; })
                  .map(b => b.textContent)""");
        assertThat(clipped).isEmpty();
        // In progress cards count the time since they started.
        assertThat(present("#board section[data-status='in_progress'] .age.running")).isTrue();

        browser.screenshot(SHOTS.resolve("board-1280.png"));

        // Done: the newest completion first (the demo finishes "Design..." before "OpenAPI examples...").
        List<String> done = browser.driver.findElements(By.cssSelector("section[data-status='done'] .card-title")).stream()
                .map(WebElement::getText).toList();
        assertThat(done).containsExactly("OpenAPI examples for every endpoint", "Design the claim protocol");
        browser.find(".final-tab[data-status='failed']").click();
        browser.await(d -> browser.find("section.column[data-status='failed']").isDisplayed()
                && !browser.find("section.column[data-status='done']").isDisplayed());

        // Label suggestions come from every label in use; "Unassigned" keeps the tasks without an assignee.
        browser.await(d -> !d.findElements(By.cssSelector("#all-labels option[value='perf']")).isEmpty());
        new Select(browser.find("#f-assignee")).selectByValue("-");
        browser.await(d -> d.getCurrentUrl().contains("assignee=-")
                && d.findElements(By.cssSelector("#board li[data-task-id]")).size() == 3);
        assertThat(browser.driver.findElements(By.cssSelector("#board .card .assignee")).stream()
                .map(e -> e.getAttribute("textContent"))).containsOnly("unassigned");
    }

    @Test
    void aCardArrivingOutOfViewIsAnnouncedInItsColumn() {
        size(1280, 800);
        TestAgent orchestrator = Api.agent("orchestrator");
        String label = Api.uniqueName("fresh");
        for (int i = 1; i <= 10; i++) {
            Api.task(orchestrator, Map.of("title", "Backlog item " + i, "priority", "high", "labels", List.of(label)));
        }
        signInAs(Api.agent("operator"));
        open("?label=" + label);
        browser.awaitWebSocket();
        browser.await(d -> d.findElements(By.cssSelector("section[data-status='todo'] li[data-task-id]")).size() == 10);
        String marker = "section[data-status='todo'] .new-marker";
        assertThat(browser.find(marker).isDisplayed()).isFalse();

        // Low priority: it sorts last, below the fold of the column.
        long id = Api.task(orchestrator, Map.of("title", "Arrives below", "priority", "low", "labels", List.of(label)));
        browser.await(d -> present(card("todo", id)) && browser.find(marker).isDisplayed());
        assertThat(browser.find(marker).getText()).isEqualTo("1 new");
        browser.screenshot(SHOTS.resolve("new-marker.png"));
        browser.find(marker).click();
        browser.await(d -> !browser.find(marker).isDisplayed());
        browser.await(d -> (Boolean) browser.js("""
                const r = document.querySelector(arguments[0]).getBoundingClientRect();
                const v = document.querySelector("section[data-status='todo'] .column-body").getBoundingClientRect();
                return r.top >= v.top - 2 && r.bottom <= v.bottom + 2""", card("todo", id)));
    }

    @Test
    void thePhoneAgentsViewFitsTheWidthWithKillWithinReach() {
        TestAgent operator = Api.agent("operator");
        TestAgent worker = Api.agent("worker", Map.of("capabilities", List.of("java", "docs"), "wipLimit", 2,
                "description", "Builds the parser and writes its documentation"));
        long id = Api.task(Api.agent("orchestrator"), Map.of("title", "A task with a rather long title to wrap on a phone screen",
                "assignee", worker.name()));
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + id).then().statusCode(200);
        worker.request().body(Map.of("status", "working", "taskId", id, "note", "halfway through the tokenizer"))
                .post("/api/v1/agents/me/heartbeat").then().statusCode(200);
        size(390, 844);
        try {
            signInAs(operator);
            open("?view=agents");
            String agentCard = "#agents [data-agent='" + worker.name() + "']";
            browser.await(d -> present(agentCard + " .agent-tasks a"));
            browser.js("document.querySelector(arguments[0]).scrollIntoView()", agentCard);
            assertThat(browser.find(agentCard).getText()).contains("java").contains("WIP 1/2")
                    .contains("halfway through the tokenizer").contains("in progress").contains("left");
            assertThat(((Number) browser.js("return document.documentElement.scrollWidth - window.innerWidth")).intValue())
                    .isLessThanOrEqualTo(0);
            List<?> outside = (List<?>) browser.js("""
                    return [...document.querySelectorAll('#agents .agent-card, #agents button')]
                      .filter(e => { const r = e.getBoundingClientRect(); return r.right > window.innerWidth || r.left < 0; })
                      .map(e => e.textContent.slice(0, 40))""");
            assertThat(outside).isEmpty();
            assertThat(browser.find(agentCard + " button.kill").isDisplayed()).isTrue();
            browser.screenshot(SHOTS.resolve("agents-phone.png"));

            // The drawer's actions wrap within a phone's width.
            open("?task=" + id);
            browser.await(d -> present("#drawer .task-actions button[data-move]"));
            assertThat(((Number) browser.js("const b = document.getElementById('drawer-body'); return b.scrollWidth - b.clientWidth")).intValue())
                    .isLessThanOrEqualTo(0);
            browser.screenshot(SHOTS.resolve("drawer-phone.png"));

            // Velocity axes stay legible: the text shown is at least 10 px tall on screen, and time labels never overlap.
            open("?view=velocity&range=24h-hour");
            browser.await(d -> "true".equals(browser.find("#velocity").getAttribute("data-ready")));
            double smallest = ((Number) browser.js("""
                    return Math.min(...[...document.querySelectorAll('#velocity .chart .axis')].map(t => t.getBoundingClientRect().height)
                      .filter(height => height > 0))""")).doubleValue();
            assertThat(smallest).isGreaterThanOrEqualTo(10);
            Object overlapping = browser.js("""
                    for (const chart of document.querySelectorAll('#velocity .chart')) {
                      const r = [...chart.querySelectorAll('text.axis[text-anchor=middle]')].filter(t => t.getBoundingClientRect().width)
                        .map(t => t.getBoundingClientRect()).sort((a, b) => a.left - b.left);
                      for (let i = 1; i < r.length; i++) if (r[i].left < r[i - 1].right) return true;
                    }
                    return false""");
            assertThat(overlapping).as("time labels overlap").isEqualTo(false);
            browser.screenshot(SHOTS.resolve("velocity-phone.png"));
        } finally {
            size(1280, 800);
        }
    }

    @Test
    void aWorkerIsOfferedNoActionItsRoleCannotTake() {
        size(1280, 800);
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        TestAgent other = Api.agent("worker");
        String label = Api.uniqueName("worker");
        long mine = Api.task(orchestrator, Map.of("title", "Mine " + label, "assignee", worker.name(), "labels", List.of(label)));
        long theirs = Api.task(orchestrator, Map.of("title", "Theirs " + label, "assignee", other.name(), "labels", List.of(label)));
        signInAs(worker);
        open("?label=" + label);
        browser.await(d -> present(card("todo", mine)) && present(card("todo", theirs)));
        assertThat(browser.find("#live-text").getText()).isEqualTo("Live (your tasks)");
        assertThat(shown("#new-task")).isFalse();
        assertThat(shown("#freeze-toggle")).isFalse();
        browser.js("document.activeElement && document.activeElement.blur()");
        browser.find("body").sendKeys("c");
        assertThat(present("#task-dialog[open]")).isFalse();

        // Its own task: it may start or block it, nothing a planner does.
        open("?label=" + label + "&task=" + mine);
        browser.await(d -> present("#drawer .task-actions") && browser.find("#drawer-title").getText().startsWith("Mine"));
        List<String> moves = browser.driver.findElements(By.cssSelector("#drawer .task-actions button")).stream()
                .map(b -> b.getAttribute("data-move")).toList();
        assertThat(moves).containsExactlyInAnyOrder("in_progress", "blocked");
        assertThat(present("#edit-task") || present("#drawer-assignee") || present("#drawer-priority") || present("#edit-deps")
                || present("#requeue-task") || present("#retry-task")).isFalse();
        browser.find("#drawer-close").sendKeys("e");
        assertThat(present("#edit-title")).isFalse();
        browser.screenshot(SHOTS.resolve("worker-drawer.png"));

        // Block it: the page asks for the reason the rule needs and the header shows it.
        browser.find("#drawer .task-actions button[data-move='blocked']").click();
        browser.await(d -> browser.find("#reason-dialog").getAttribute("open") != null);
        browser.find("#reason-input").sendKeys("Waiting for the schema from the API team");
        browser.find("#reason-confirm").click();
        browser.await(d -> browser.find("#drawer-reason").isDisplayed());
        assertThat(browser.find("#drawer-reason").getText()).isEqualTo("Blocked: Waiting for the schema from the API team");
        assertThat(task(worker, mine).getString("status")).isEqualTo("blocked");

        // Someone else's task: no action at all.
        open("?label=" + label + "&task=" + theirs);
        browser.await(d -> browser.find("#drawer-title").getText().startsWith("Theirs") && present("#drawer .task-actions"));
        assertThat(browser.driver.findElements(By.cssSelector("#drawer .task-actions button"))).isEmpty();

        open("?view=agents");
        browser.await(d -> present("#agents [data-agent]"));
        assertThat(present("#agents button.kill") || present("#agents button.revive")).isFalse();
        open("?view=attention");
        assertThat(present("#attention button")).isFalse();
    }
}
