package dev.olympus.dashboard;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.util.List;
import java.util.Map;

import static dev.olympus.testing.Api.move;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review on the page (issue 19): an orchestrator accepts delivered work with the drawer's one Accept button, and the
 * "New task" form sends review required, acceptance criteria and the parent. Own agents and labels; screenshots.
 */
@QuarkusTest
class ReviewDashboardTest extends BrowserTestBase {

    @Test
    void anOrchestratorAcceptsDeliveredWorkFromTheDrawerAndTheCardMovesToDone() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("review-accept");
        long id = Api.task(orchestrator, Map.of("title", "Check the roof", "assignee", worker.name(),
                "reviewRequired", true, "labels", List.of(label)));
        move(worker, id, "in_progress");
        move(worker, id, "in_review");

        signInAs(orchestrator);
        open("?label=" + label + "&task=" + id);
        browser.await(d -> present(card("in_review", id)) && present(card("in_review", id) + " .badge.review"));
        String accept = "#drawer .task-actions button[data-move='done']";
        browser.await(d -> present(accept));
        // one Accept in the whole drawer: the action bar's move (the review section shows criteria and evidence)
        assertThat(browser.driver.findElements(By.cssSelector("#drawer button")).stream().map(WebElement::getText)
                .filter(text -> text.contains("Accept")).toList()).containsExactly("Accept (done)");
        browser.screenshot(SHOTS.resolve("review-before-accept.png"));

        browser.find(accept).click();

        browser.await(d -> present(card("done", id)) && !present(card("in_review", id)));
        browser.await(d -> !present(accept));
        JsonPath accepted = orchestrator.request().get("/api/v1/tasks/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(accepted.getString("status")).isEqualTo("done");
        assertThat(accepted.getString("reviewedBy")).isEqualTo(orchestrator.name());
        assertThat(accepted.getString("assignee")).isEqualTo(worker.name());
        // the drawer closed, the card in Done in view
        browser.find("#drawer-close").click();
        browser.js("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", browser.find(card("done", id)));
        browser.screenshot(SHOTS.resolve("review-accepted.png"));
    }

    @Test
    void theNewTaskFormSendsReviewCriteriaAndParent() {
        TestAgent orchestrator = Api.agent("orchestrator");
        String label = Api.uniqueName("review-form");
        long parent = Api.task(orchestrator, Map.of("title", "Build the house " + label, "labels", List.of(label)));

        signInAs(orchestrator);
        open("?label=" + label);
        browser.await(d -> present(card("todo", parent)));
        browser.find("#new-task").click();
        browser.await(d -> present("#task-dialog[open]"));
        browser.find("#tf-title").sendKeys("Paint the walls " + label);
        browser.find("#tf-labels").sendKeys(label + ",");
        browser.find("#tf-review").click();
        browser.find("#tf-criteria").sendKeys("Two coats\nNo drips");
        browser.find("#tf-parent").sendKeys(Long.toString(parent));
        browser.screenshot(SHOTS.resolve("review-create-form.png"));
        long id = submitNewTask(parent);
        JsonPath created = orchestrator.request().get("/api/v1/tasks/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(created.getBoolean("reviewRequired")).isTrue();
        assertThat(created.getList("acceptanceCriteria", String.class)).containsExactly("Two coats", "No drips");
        assertThat(created.getLong("parentId")).isEqualTo(parent);
        browser.await(d -> present(card("todo", id) + " .badge.review"));
    }
}
