package dev.olympus.dashboard;

import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

import java.net.URL;
import java.nio.file.Path;

/**
 * What every dashboard test in a real browser shares: one {@link Browser} per test class (opened before its first
 * test, closed after its last), the app's address, signing in, and the board's selectors.
 */
abstract class BrowserTestBase {

    static final Path SHOTS = Path.of("target/screenshots");

    static Browser browser;
    private static String signedInAs;

    @TestHTTPResource("/")
    URL root;

    /** The window the browser opens with. */
    Dimension window() {
        return new Dimension(1280, 800);
    }

    @BeforeEach
    void openBrowser() {
        if (browser == null) {
            browser = new Browser(window().width, window().height);
        }
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
        browser = null;
        signedInAs = null;
    }

    /** Signs in through the form with this key, unless this tab is already signed in with it. */
    void signInAs(TestAgent agent) {
        if (agent.key().equals(signedInAs)) {
            return;
        }
        browser.driver.get(root.toString());
        browser.js("sessionStorage.clear()");
        browser.signIn(root.toString(), agent.key());
        signedInAs = agent.key();
    }

    /** Opens the dashboard with this query (e.g. {@code ?label=x}) and waits for the board. */
    void open(String query) {
        browser.driver.get(root + query);
        browser.awaitBoard();
    }

    /** Submits the open "New task" form; returns the id of the card it adds to To do, next to {@code alreadyThere}. */
    static long submitNewTask(long alreadyThere) {
        String todo = "section.column[data-status='todo'] li[data-task-id]";
        browser.find("#tf-submit").click();
        browser.await(d -> !present("#task-dialog[open]"));
        browser.await(d -> d.findElements(By.cssSelector(todo)).size() == 2);
        return Long.parseLong(browser.driver.findElements(By.cssSelector(todo)).stream().map(li -> li.getAttribute("data-task-id"))
                .filter(v -> !v.equals(Long.toString(alreadyThere))).findFirst().orElseThrow());
    }

    static String card(String status, long id) {
        return "section.column[data-status='" + status + "'] li[data-task-id='" + id + "']";
    }

    static boolean present(String css) {
        return !browser.driver.findElements(By.cssSelector(css)).isEmpty();
    }
}
