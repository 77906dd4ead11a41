package dev.olympus.dashboard;

import dev.olympus.testing.Api;
import dev.olympus.testing.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Webhooks page in Chromium: create (secret shown once), pause, resume, the delivery log with status codes. */
@QuarkusTest
class WebhooksPageTest extends BrowserTestBase {

    @Override
    Dimension window() {
        return new Dimension(1440, 900);
    }

    @Test
    void anOperatorCreatesPausesResumesAndReadsTheDeliveryLog() {
        Api.TestAgent operator = Api.agent("operator");
        String label = Api.uniqueName("page");
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            signInAs(operator);
            browser.driver.get(root + "?view=webhooks");
            browser.await(d -> d.findElement(By.id("webhook-form")).isDisplayed());
            String url = receiver.url("page-" + label);
            browser.find("#webhook-form input[name=url]").sendKeys(url);
            browser.find("#webhook-form input[name=types]").sendKeys("task.created");
            browser.find("#webhook-form input[name=label]").sendKeys(label);
            browser.find("#webhook-form button[type=submit]").click();
            browser.await(d -> d.findElement(By.id("webhook-secret")).isDisplayed());
            assertThat(browser.find("#webhook-secret .secret-value").getText()).startsWith("whsec_");
            String id = browser.await(d -> d.findElements(By.cssSelector("#webhooks tr[data-webhook]")).stream()
                    .filter(row -> row.getText().contains(url)).findFirst().map(row -> row.getAttribute("data-webhook")).orElse(null));
            String row = "#webhooks tr[data-webhook='" + id + "']";

            browser.find(row + " td.actions button").click(); // Pause
            browser.await(d -> "paused".equals(d.findElement(By.cssSelector(row)).getAttribute("data-state")));
            browser.find(row + " td.actions button").click(); // Resume
            browser.await(d -> "active".equals(d.findElement(By.cssSelector(row)).getAttribute("data-state")));

            Api.task(Api.agent("orchestrator"), Map.of("labels", List.of(label)));
            org.awaitility.Awaitility.await().until(() -> receiver.received("page-" + label).size() == 1);
            browser.driver.findElements(By.cssSelector(row + " td.actions button")).stream()
                    .filter(b -> b.getText().equals("Deliveries")).findFirst().orElseThrow().click();
            browser.await(d -> d.findElements(By.cssSelector("table.deliveries[data-webhook='" + id + "'] tr[data-status='204']")).size() == 1);
        }
    }
}
