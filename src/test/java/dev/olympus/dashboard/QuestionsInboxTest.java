package dev.olympus.dashboard;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The questions inbox (issue 18): an operator answers a worker's question from the page, and the task's card leaves
 * the Blocked column without a reload (the board hears the answer from the event stream).
 */
@QuarkusTest
class QuestionsInboxTest extends BrowserTestBase {

    @Test
    void anOperatorAnswersFromTheInboxAndTheCardLeavesBlockedLive() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        TestAgent operator = Api.agent("operator");
        String label = Api.uniqueName("inbox");
        long id = Api.task(orchestrator, Map.of("title", "Migrate the billing table " + label, "labels", List.of(label)));
        worker.request().body(Map.of("labels", List.of(label))).post("/api/v1/tasks/claim").then().statusCode(200);

        signInAs(operator);
        open("?label=" + label);
        browser.awaitWebSocket();
        browser.await(d -> present(card("in_progress", id)));

        // The worker asks the humans; the badge counts it and the card moves to Blocked, live.
        Response asked = worker.request().body(Map.of("question", "Drop the legacy column now or after the release?",
                "options", List.of("now", "after the release"), "to", "human")).post("/api/v1/tasks/" + id + "/questions");
        asked.then().statusCode(201);
        long qid = asked.jsonPath().getLong("id");
        browser.await(d -> present(card("blocked", id)));
        browser.await(d -> Integer.parseInt(browser.find("#questions-count").getText()) >= 1);
        browser.await(d -> browser.driver.getTitle().contains("question"));

        browser.find("a.tab[data-view='questions']").click();
        String item = "#questions li[data-question-id='" + qid + "']";
        browser.await(d -> present(item));
        assertThat(browser.find(item).getText()).contains("Drop the legacy column").contains(worker.name()).contains("#" + id);
        assertThat(browser.find("#questions li.question-item").getAttribute("data-question-id"))
                .as("operators see questions to human first").isNotNull();
        browser.find(item + " textarea").sendKeys("after the release: reports still read it");
        browser.screenshot(SHOTS.resolve("questions-inbox.png"));
        browser.driver.findElements(By.cssSelector(item + " button.option")).stream()
                .filter(b -> b.getText().equals("after the release")).findFirst().orElseThrow().click();

        browser.await(d -> !present(item));
        operator.request().get("/api/v1/questions/" + qid).then().statusCode(200)
                .body("state", org.hamcrest.Matchers.is("answered"))
                .body("choice", org.hamcrest.Matchers.is("after the release"))
                .body("answeredBy", org.hamcrest.Matchers.is(operator.name()));

        // Back on the board: the card is in progress again without a reload.
        browser.find("a.tab[data-view='board']").click();
        browser.await(d -> present(card("in_progress", id)) && !present(card("blocked", id)));
        browser.screenshot(SHOTS.resolve("questions-answered-board.png"));
    }
}
