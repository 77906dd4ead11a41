package dev.olympus.dashboard;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/**
 * The dashboard in a real browser (headless Debian Chromium). Every test works on its own agents and on
 * tasks with its own label, and narrows the board to that label: the database is shared with other tests.
 */
@QuarkusTest
class DashboardBrowserTest extends BrowserTestBase {

    @Override
    Dimension window() {
        return new Dimension(1440, 900);
    }

    private static TestAgent operator;

    private static TestAgent operator() {
        if (operator == null) {
            operator = Api.agent("operator");
        }
        return operator;
    }

    private int cardsOnBoard() {
        return browser.driver.findElements(By.cssSelector("#board li[data-task-id]")).size();
    }

    @Test
    void signInExchangesTheKeyAndTheBoardFollowsChangesWithoutReload() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("live");
        signInAs(operator());

        // The key was exchanged for a JWT; only the token is kept, and the feed is the WebSocket.
        assertThat(browser.js("return window.olympus.session.mode")).isEqualTo("jwt");
        assertThat((String) browser.js("return window.olympus.session.token")).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        assertThat((String) browser.js("return JSON.stringify(sessionStorage)")).doesNotContain(operator().key());
        assertThat(browser.find("#whoami").getText()).contains(operator().name()).contains("operator");

        open("?label=" + label);
        browser.awaitWebSocket();
        browser.js("window.__sameDocument = true");
        long id = Api.task(orchestrator, Map.of("title", "Appears by itself", "assignee", worker.name(), "labels", List.of(label)));
        browser.await(d -> !d.findElements(By.cssSelector(card("todo", id))).isEmpty());
        assertThat(browser.find(card("todo", id) + " .card-title").getText()).isEqualTo("Appears by itself");
        assertThat(browser.find("section[data-status='todo'] .count").getText()).isEqualTo("1");

        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + id).then().statusCode(200);
        browser.await(d -> !d.findElements(By.cssSelector(card("in_progress", id))).isEmpty()
                && d.findElements(By.cssSelector(card("todo", id))).isEmpty());
        assertThat(browser.find("section[data-status='in_progress'] .count").getText()).isEqualTo("1");
        assertThat(browser.find("section[data-status='todo'] .count").getText()).isEqualTo("0");
        assertThat(browser.js("return window.__sameDocument")).isEqualTo(true); // no reload happened
    }

    @Test
    void thePageShowsAnOutageAndCatchesUpAfterwards() {
        TestAgent orchestrator = Api.agent("orchestrator");
        String label = Api.uniqueName("outage");
        signInAs(operator());
        open("?label=" + label);
        browser.awaitWebSocket();

        browser.js("window.olympus.app.live.drop(3000)");
        browser.await(d -> "reconnecting".equals(browser.find("#live").getAttribute("data-state")));
        assertThat(browser.find("#live-text").getText()).startsWith("Disconnected");
        long id = Api.task(orchestrator, Map.of("title", "Made while the page was away", "labels", List.of(label)));
        assertThat(browser.driver.findElements(By.cssSelector(card("todo", id)))).isEmpty();

        browser.awaitWebSocket();
        browser.await(d -> !d.findElements(By.cssSelector(card("todo", id))).isEmpty());
    }

    @Test
    void aCardArrivingOutOfViewIsMarkedNewUntilShown() {
        TestAgent orchestrator = Api.agent("orchestrator");
        String label = Api.uniqueName("fresh");
        for (int i = 0; i < 20; i++) {
            Api.task(orchestrator, Map.of("title", "Filler " + i, "priority", "low", "labels", List.of(label)));
        }
        signInAs(operator());
        open("?label=" + label);
        browser.awaitWebSocket();
        String todo = "section.column[data-status='todo']";
        browser.await(d -> d.findElements(By.cssSelector(todo + " li[data-task-id]")).size() == 20);
        browser.js("const body = document.querySelector(arguments[0]); body.scrollTop = body.scrollHeight", todo + " .column-body");
        WebElement marker = browser.find(todo + " .new-marker");
        assertThat(marker.isDisplayed()).isFalse();

        // a critical task goes to the top of the column, out of view: "1 new" until the click scrolls to it
        long urgent = Api.task(orchestrator, Map.of("title", "Urgent " + label, "priority", "critical", "labels", List.of(label)));
        browser.await(d -> present(card("todo", urgent)) && marker.isDisplayed());
        assertThat(marker.getText()).isEqualTo("1 new");
        marker.click();
        browser.await(d -> !marker.isDisplayed());
        browser.await(d -> ((Number) browser.js("return document.querySelector(arguments[0]).scrollTop", todo + " .column-body")).intValue() == 0);
    }

    @Test
    void filtersNarrowTheBoardSurviveAReloadAndTheDrawerAddsAComment() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("filters");
        long alpha = Api.task(orchestrator, Map.of("title", "Alpha parser", "priority", "high", "labels", List.of(label)));
        long beta = Api.task(orchestrator, Map.of("title", "Beta parser", "priority", "low", "labels", List.of(label)));
        long gamma = Api.task(orchestrator, Map.of("title", "Gamma release", "priority", "high", "labels", List.of(label),
                "assignee", worker.name()));
        signInAs(operator());
        open("?label=" + label);
        browser.await(d -> cardsOnBoard() == 3);

        new Select(browser.find("#f-priority")).selectByValue("high");
        browser.await(d -> cardsOnBoard() == 2);
        assertThat(browser.driver.findElements(By.cssSelector("li[data-task-id='" + beta + "']"))).isEmpty();
        browser.find("#f-q").sendKeys("alpha");
        browser.await(d -> cardsOnBoard() == 1 && !d.findElements(By.cssSelector(card("todo", alpha))).isEmpty());
        browser.await(d -> d.getCurrentUrl().contains("q=alpha"));
        assertThat(browser.driver.getCurrentUrl()).contains("priority=high").contains("label=" + label);

        browser.driver.navigate().refresh();
        browser.awaitBoard();
        browser.await(d -> cardsOnBoard() == 1 && !d.findElements(By.cssSelector(card("todo", alpha))).isEmpty());
        assertThat(browser.find("#f-q").getAttribute("value")).isEqualTo("alpha");
        assertThat(new Select(browser.find("#f-priority")).getFirstSelectedOption().getAttribute("value")).isEqualTo("high");
        assertThat(browser.find("#f-label").getAttribute("value")).isEqualTo(label);
        assertThat(browser.driver.findElements(By.cssSelector("li[data-task-id='" + gamma + "']"))).isEmpty();

        // The drawer: open the card, add a comment; the API returns it and the card's count follows.
        browser.find(card("todo", alpha) + " a.card").click();
        browser.await(d -> "Alpha parser".equals(browser.find("#drawer-title").getText()));
        browser.await(d -> !d.findElements(By.cssSelector("#drawer .comment-list li")).isEmpty());
        String body = "Looks good — ship it " + label;
        browser.find("#comment-body").sendKeys(body);
        browser.find("#comment-submit").click();
        browser.await(d -> d.findElements(By.cssSelector("#drawer .comment-list li")).stream()
                .anyMatch(li -> li.getText().contains(body)));
        orchestrator.request().get("/api/v1/tasks/" + alpha + "/comments").then().statusCode(200)
                .body("items.body", hasItem(body))
                .body("items.author", hasItem(operator().name()));
        browser.await(d -> browser.find(card("todo", alpha) + " .comments").getText().equals("1"));
        assertThat(browser.driver.getCurrentUrl()).contains("task=" + alpha);
        browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        browser.await(d -> !d.getCurrentUrl().contains("task="));
    }

    @Test
    void anOperatorKillsAnAgentFromThePanelAndTheApiThenRefusesIt() {
        TestAgent victim = Api.agent("worker");
        victim.request().get("/api/v1/tasks?limit=1").then().statusCode(200);
        signInAs(operator());
        open("?view=agents");
        String row = "#agents [data-agent='" + victim.name() + "']";
        browser.await(d -> !d.findElements(By.cssSelector(row + " button.kill")).isEmpty());

        browser.find(row + " button.kill").click();
        browser.await(d -> browser.find("#reason-dialog").getAttribute("open") != null);
        browser.find("#reason-input").sendKeys("Stuck in a loop, burning tokens");
        browser.find("#reason-confirm").click();
        browser.await(d -> "killed".equals(browser.find(row).getAttribute("data-state")));
        assertThat(browser.find(row + " .state").getText()).isEqualTo("killed");
        assertThat(browser.driver.findElements(By.cssSelector(row + " button.revive"))).isNotEmpty();

        victim.request().get("/api/v1/tasks?limit=1").then().statusCode(403).body("code", is("agent-killed"));

        // Revive asks for a reason too; it is stored with the agent and shown on its card.
        browser.find(row + " button.revive").click();
        browser.await(d -> browser.find("#reason-dialog").getAttribute("open") != null);
        browser.find("#reason-input").sendKeys("Prompt fixed");
        browser.find("#reason-confirm").click();
        browser.await(d -> "active".equals(browser.find(row).getAttribute("data-state")));
        // inside the wait: the panel redraws the card whenever it polls the agents (a stale card is read again)
        browser.await(d -> browser.find(row + " .revived").getText().contains("Prompt fixed")
                && browser.find(row + " .revived").getText().contains("by " + operator().name()));
        Api.admin().get("/api/v1/agents/" + victim.name()).then().statusCode(200).body("reviveReason", is("Prompt fixed"));
    }

    @Test
    void anOperatorFreezesTheSystemAndEveryPageShowsTheBanner() {
        TestAgent orchestrator = Api.agent("orchestrator");
        signInAs(operator());
        open("?view=agents");
        try {
            browser.find("#freeze-toggle").click();
            browser.await(d -> browser.find("#reason-dialog").getAttribute("open") != null);
            browser.find("#reason-input").sendKeys("Release in progress");
            browser.find("#reason-confirm").click();
            browser.await(d -> browser.find("#freeze-banner").isDisplayed());
            assertThat(browser.find("#freeze-banner").getText()).contains("System frozen").contains("Release in progress");
            assertThat(browser.find("#freeze-toggle").getAttribute("aria-pressed")).isEqualTo("true");
            orchestrator.request().body(Map.of("title", "not now")).post("/api/v1/tasks")
                    .then().statusCode(423).body("code", is("system-frozen"));

            browser.find("#freeze-toggle").click();
            browser.await(d -> browser.find("#reason-dialog").getAttribute("open") != null);
            assertThat(browser.find("#reason-title").getText()).isEqualTo("Unfreeze the system?");
            assertThat(browser.find("#reason-input").isDisplayed()).isFalse();
            browser.find("#reason-confirm").click();
            browser.await(d -> !browser.find("#freeze-banner").isDisplayed());
        } finally {
            Api.admin().post("/api/v1/system/unfreeze").then().statusCode(200);
        }
        orchestrator.request().body(Map.of("title", "now")).post("/api/v1/tasks").then().statusCode(201);
    }

    @Test
    void anObserverIsOfferedNoOperatorControls() {
        TestAgent observer = Api.agent("observer");
        String label = Api.uniqueName("observer");
        long id = Api.task(Api.agent("orchestrator"), Map.of("title", "Read me", "labels", List.of(label)));
        signInAs(observer);
        open("?view=agents");
        browser.await(d -> !d.findElements(By.cssSelector("#agents [data-agent]")).isEmpty());
        assertThat(browser.driver.findElements(By.cssSelector("#agents button.kill"))).isEmpty();
        assertThat(browser.find("#freeze-toggle").isDisplayed()).isFalse();

        open("?label=" + label + "&task=" + id);
        browser.await(d -> "Read me".equals(browser.find("#drawer-title").getText()));
        assertThat(browser.driver.findElements(By.id("comment-body"))).isEmpty();
    }

    @Test
    void htmlInTitlesDescriptionsAndCommentsIsShownAsText() {
        TestAgent orchestrator = Api.agent("orchestrator");
        String label = Api.uniqueName("xss");
        String title = "<img src=x onerror=window.__xss=1>";
        long id = Api.task(orchestrator, Map.of("title", title, "description", "<script>window.__xss=2</script><b>bold</b>",
                "labels", List.of(label)));
        orchestrator.request().body(Map.of("body", "<img src=x onerror=window.__xss=3>")).post("/api/v1/tasks/" + id + "/comments")
                .then().statusCode(201);
        signInAs(operator());
        open("?label=" + label);
        browser.await(d -> !d.findElements(By.cssSelector(card("todo", id))).isEmpty());

        WebElement card = browser.find(card("todo", id));
        assertThat(card.findElement(By.cssSelector(".card-title")).getText()).isEqualTo(title);
        assertThat(card.findElements(By.tagName("img"))).isEmpty();

        card.findElement(By.cssSelector("a.card")).click();
        browser.await(d -> !d.findElements(By.cssSelector("#drawer .comment-list li.comment")).isEmpty());
        assertThat(browser.find("#drawer-title").getText()).isEqualTo(title);
        assertThat(browser.find("#drawer [data-field='description']").getText()).isEqualTo("<script>window.__xss=2</script><b>bold</b>");
        assertThat(browser.find("#drawer .comment-list li.comment .prose").getText()).isEqualTo("<img src=x onerror=window.__xss=3>");
        assertThat(browser.js("return document.querySelectorAll('img, #drawer script, #drawer b').length")).isEqualTo(0L);
        assertThat(browser.js("return typeof window.__xss")).isEqualTo("undefined");
        browser.find("#drawer-close").click();
    }

    @Test
    void screenshotsOfTheBoardAndTheVelocityView() throws Exception {
        String sprint = Demo.seed();
        signInAs(operator());
        open("?q=" + sprint);
        browser.await(d -> cardsOnBoard() >= Demo.TASKS);
        browser.js("document.activeElement && document.activeElement.blur()");
        Path board = Path.of("target/screenshots/board.png");
        browser.screenshot(board);

        open("?view=velocity&range=24h-hour");
        browser.await(d -> "true".equals(browser.find("#velocity").getAttribute("data-ready")));
        // three charts of work, two of cost (usage and budgets)
        assertThat(browser.driver.findElements(By.cssSelector("#velocity svg.chart"))).hasSize(5);
        assertThat(browser.driver.findElements(By.cssSelector("#velocity svg.chart rect.bar"))).isNotEmpty();
        Path velocity = Path.of("target/screenshots/velocity.png");
        browser.screenshot(velocity);

        assertThat(Files.size(board)).isGreaterThan(10_000);
        assertThat(Files.size(velocity)).isGreaterThan(10_000);
    }
}
