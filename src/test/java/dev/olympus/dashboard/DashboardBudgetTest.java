package dev.olympus.dashboard;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/** An operator sets an agent's budget from its card in the Agents view and sees the spend as a progress bar. */
@QuarkusTest
class DashboardBudgetTest extends BrowserTestBase {

    @Test
    void anOperatorSetsABudgetOnTheAgentsCardAndSeesItsProgress() {
        TestAgent operator = Api.agent("operator");
        TestAgent worker = Api.agent("worker");
        worker.request().body("{\"usage\": {\"costUsd\": 3, \"inputTokens\": 100}}").post("/api/v1/agents/me/heartbeat")
                .then().statusCode(200);

        signInAs(operator);
        browser.driver.get(root + "?view=agents");
        String card = "#agents .agent-card[data-agent='" + worker.name() + "']";
        browser.await(d -> !d.findElements(By.cssSelector(card + " .set-budget")).isEmpty());
        assertThat(browser.find(card + " .agent-budget").getText()).contains("$3.00 this").contains("no budget");
        assertThat(browser.driver.findElements(By.cssSelector(card + " progress"))).isEmpty();

        browser.find(card + " .set-budget").click();
        browser.await(d -> browser.find("#reason-dialog").getAttribute("open") != null);
        browser.find("#reason-input").sendKeys("10 day");
        browser.find("#reason-confirm").click();

        browser.await(d -> !d.findElements(By.cssSelector(card + " progress")).isEmpty());
        WebElement bar = browser.find(card + " progress");
        assertThat(new BigDecimal(bar.getAttribute("max"))).isEqualByComparingTo("10");
        assertThat(new BigDecimal(bar.getAttribute("value"))).isEqualByComparingTo("3");
        assertThat(browser.find(card + " .agent-budget").getText()).contains("$3.00 / $10.00 per day");
        browser.js("arguments[0].scrollIntoView({block: 'center'})", browser.find(card)); // clear of the toast
        browser.screenshot(SHOTS.resolve("agent-budget.png"));

        JsonPath budget = operator.request().get("/api/v1/agents/" + worker.name() + "/budget")
                .then().statusCode(200).extract().jsonPath();
        assertThat(budget.getString("period")).isEqualTo("day");
        assertThat(new BigDecimal(budget.getString("costUsd"))).isEqualByComparingTo("10");
    }
}
